// A stored user without `active` (written before the edge made it explicit, or by any path that drops
// it) is not active for every reader at once: the key is revoked, the audit says deactivated, and the
// active index no longer lists the person (src/store/user-active.ts holds the one meaning).
import { redisKeys } from "../../src/store/redis-keys";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { type Harness, heldRefs, startHarness, TENANT, waitFor } from "./pipeline-harness";

let redis: TestRedis;
let h: Harness;

beforeAll(async () => {
  redis = await startTestRedis();
  h = await startHarness(redis);
});
afterAll(async () => {
  await h?.close();
  await redis.stop();
});

it("dropping `active` revokes the key, is audited as a deactivation and leaves the active index", async () => {
  const id = await h.createUser("jo");
  await h.createGroup("Staff", [id]);
  await waitFor(async () => (await heldRefs(h, "lockhall", id)).length === 1, 10_000, "key granted");

  await h.commit({ type: "User", id, operation: "replace" }, (c) =>
    h.store.updateUser(TENANT, id, ({ id: _id, meta: _meta, active: _active, ...u }) => u, c),
  );

  await waitFor(async () => (await heldRefs(h, "lockhall", id)).length === 0, 10_000, "key revoked");
  const types = (await h.redis.xrange(redisKeys.auditLog(), "-", "+"))
    .map(([, f]) => JSON.parse(f[1] ?? "{}") as { type: string })
    .map((r) => r.type)
    .filter((t) => t.startsWith("scim.user."));
  expect(types.at(-1)).toBe("scim.user.deactivated");
  expect(types).not.toContain("scim.user.activated");
  const listed = async (value: boolean) =>
    (
      await h.store.queryUsers(TENANT, {
        filter: [[{ attr: "active", op: "eq", value }]],
        startIndex: 1,
        count: 10,
      })
    ).resources.map((u) => u.id);
  expect(await listed(true)).toEqual([]);
  expect(await listed(false)).toEqual([id]);
});

// Effect states: with a key system that needs keys reprogrammed, a revocation goes requested →
// pending_programming (with exposureUntil) → effective, confirmed later by the confirm timer; a
// future accessValidFrom schedules the grant's start.
import { timerJobId } from "../../src/reconcile/reconcile-job";
import { KEYBRIDGE_USER_URN } from "../../src/store/directory-types";
import { redisKeys } from "../../src/store/redis-keys";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { type Harness, startHarness, TENANT, waitFor } from "./pipeline-harness";

let redis: TestRedis;
let h: Harness;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.stop();
});
afterEach(async () => {
  await h?.close();
  await redis.flush();
});

const office = async (id: string) =>
  (await h.ledger.read(TENANT, "lockhall", id)).entries.find((e) => e.profile === "office");

it("records a revocation as pending with its exposure until the key is reprogrammed, then effective", async () => {
  h = await startHarness(redis, { memory: { lockhall: { programmingDelayMs: 1_000 } }, confirmAfterMs: 300 });
  const kim = await h.createUser("kim");
  await h.createGroup("Staff", [kim]);
  await waitFor(async () => (await office(kim))?.state === "effective", 10_000, "grant confirmed effective");

  await h.setActive(kim, false);
  const pending = await waitFor(
    async () => {
      const e = await office(kim);
      return e?.action === "revoke" && e.state === "pending_programming" ? e : undefined;
    },
    10_000,
    "revocation pending",
  );
  expect(pending.exposureUntil).toBeDefined();
  await waitFor(
    async () => {
      const e = await office(kim);
      return e?.action === "revoke" && e.state === "effective";
    },
    10_000,
    "revocation effective",
  );
  const revocationTypes = (await h.redis.xrange(redisKeys.auditLog(), "-", "+"))
    .map(([, f]) => JSON.parse(f[1] ?? "{}"))
    .filter((r) => r.data?.system === "lockhall" && r.type.startsWith("revocation."))
    .map((r) => r.type);
  expect(revocationTypes).toEqual(["revocation.requested", "revocation.pending", "revocation.effective"]);
});

it("schedules the grant of a person whose access starts in the future", async () => {
  h = await startHarness(redis);
  const from = new Date(Date.now() + 3_600_000).toISOString();
  const lee = await h.createUser("lee", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", KEYBRIDGE_USER_URN],
    [KEYBRIDGE_USER_URN]: { accessValidFrom: from },
  });
  await h.createGroup("Staff", [lee]);
  await waitFor(
    async () => (await h.ledger.read(TENANT, "lockhall", lee)).holder.timers?.valid_from === from,
    10_000,
    "start scheduled",
  );
  const timer = await h.deps.queues.queue("lockhall").getJob(timerJobId("valid_from", TENANT, lee, from));
  expect(timer?.delay).toBeGreaterThan(3_500_000);
  // The lock enforces the start itself (validityWindows), so the grant is written with its notBefore.
  expect((await office(lee))?.notBefore).toBe(from);
});

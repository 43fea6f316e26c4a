// A directory write is acknowledged only once the configured replicas confirm it (replica-ack.ts). On a
// Redis without replicas, asking for one makes every write Unavailable (the SCIM edge's 503) while the
// write itself is committed, so the IdP's retry of the same change is harmless.
import { isBridgeError } from "../../src/errors/bridge-error";
import { RedisDirectoryStore } from "../../src/store/directory-store";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { ctx, userInput } from "./store-fixture";

let redis: TestRedis;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.stop();
});

it("answers Unavailable when no replica confirms, and the retried change is applied once", async () => {
  const client = redis.client();
  let n = 0;
  const newId = () => `id-${++n}`;
  const waiting = new RedisDirectoryStore({
    redis: client,
    newId,
    replicaAck: { replicas: 1, timeoutMs: 50 },
  });
  const plain = new RedisDirectoryStore({ redis: client, newId });

  const created = await plain.createUser("t", userInput("ada@example.org"), ctx);
  const id = created.resource.id;
  const deactivate = () =>
    waiting
      .updateUser("t", id, (u) => ({ ...u, active: false }), ctx)
      .then(
        () => "ok",
        (err: unknown) => (isBridgeError(err, "Unavailable") ? "unavailable" : err),
      );
  expect(await deactivate()).toBe("unavailable");
  // Committed on the master all the same; the IdP's retry finds nothing to change.
  expect((await plain.getUser("t", id))?.active).toBe(false);
  const retried = await plain.updateUser("t", id, (u) => ({ ...u, active: false }), ctx);
  expect(retried.changes).toEqual([]);
  expect(await deactivate()).toBe("unavailable");

  await expect(waiting.createUser("t", userInput("bob@example.org"), ctx)).rejects.toMatchObject({
    code: "BRIDGE_UNAVAILABLE",
  });
  // Without a replica requirement the same writes are answered as before.
  const ok = await plain.createUser("t", userInput("eve@example.org"), ctx);
  expect(ok.resource.userName).toBe("eve@example.org");
});

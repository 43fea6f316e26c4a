// Two worker processes never poll one tenant's Graph delta at once: the poll lock (real Redis).
import type { RedisClient } from "../../../src/store/create-redis-client";
import { holdPollLock, releasePollLock } from "../../../src/signals/entra/entra-delta-state";
import { startTestRedis, type TestRedis } from "../../helpers/test-redis";

let redis: TestRedis;
let client: RedisClient;

beforeAll(async () => {
  redis = await startTestRedis();
  client = redis.client();
});
afterAll(() => redis.stop());

test("a second process is refused while the first holds the lock, and gets it once released", async () => {
  expect(await holdPollLock(client, "t", "worker-a", 60_000)).toBe(true);
  expect(await holdPollLock(client, "t", "worker-b", 60_000)).toBe(false);
  expect(await holdPollLock(client, "t", "worker-a", 60_000)).toBe(true); // renewal by the holder
  await releasePollLock(client, "t", "worker-b"); // not the holder: no effect
  expect(await holdPollLock(client, "t", "worker-b", 60_000)).toBe(false);
  await releasePollLock(client, "t", "worker-a");
  expect(await holdPollLock(client, "t", "worker-b", 60_000)).toBe(true);
  expect(await holdPollLock(client, "other-tenant", "worker-a", 60_000)).toBe(true);
});

test("a dead holder's lock runs out, and another process takes the tenant over", async () => {
  expect(await holdPollLock(client, "u", "worker-a", 200)).toBe(true);
  await new Promise((r) => setTimeout(r, 300));
  expect(await holdPollLock(client, "u", "worker-b", 60_000)).toBe(true);
});

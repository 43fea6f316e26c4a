// Durability: with AOF on, a Redis restart loses no accepted change: queued jobs survive, and a
// change whose enqueue never happened (crash between commit and queue) is found in the dirty set.
import { startDirtySweeper } from "../../src/reconcile/dirty-sweeper";
import { CORE_USER_URN } from "../../src/store/directory-types";
import { redisKeys } from "../../src/store/redis-keys";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { type Harness, heldRefs, queuesIdle, startHarness, TENANT, waitFor } from "./pipeline-harness";

let redis: TestRedis;
let h: Harness;

beforeAll(async () => {
  redis = await startTestRedis({ appendOnly: true });
});
afterAll(async () => {
  await h?.close();
  await redis.stop();
});

it("reconciles every accepted change after a Redis restart", async () => {
  h = await startHarness(redis, { startWorkers: false });
  const queued = await h.createUser("queued");
  const staff = await h.createGroup("Staff", [queued]);
  // Committed in the directory, but the process died before the hook could enqueue anything.
  const orphan = await h.store.createUser(
    TENANT,
    { schemas: [CORE_USER_URN], userName: "orphan", active: true },
    { correlationId: "lost" },
  );
  await h.store.changeMembers(TENANT, staff, { add: [orphan.resource.id] }, { correlationId: "lost" });
  expect(await h.redis.zcard(redisKeys.dirtyPersons(TENANT))).toBe(2);

  await redis.restart();
  await waitFor(async () => (await h.redis.ping()) === "PONG", 10_000, "reconnected");
  expect(await h.redis.zcard(redisKeys.dirtyPersons(TENANT))).toBe(2);

  h.startWorkers();
  const sweeper = startDirtySweeper({
    ...h.deps,
    tenants: async () => [TENANT],
    staleAfterMs: 0,
    everyMs: 100,
  });
  try {
    await waitFor(
      async () => (await heldRefs(h, "lockhall", queued)).length === 1,
      15_000,
      "queued person granted",
    );
    await waitFor(
      async () => (await heldRefs(h, "lockhall", orphan.resource.id)).length === 1,
      15_000,
      "orphan granted",
    );
    await waitFor(
      async () => (await h.redis.zcard(redisKeys.dirtyPersons(TENANT))) === 0 && (await queuesIdle(h)),
      15_000,
      "clean",
    );
  } finally {
    await sweeper.close();
  }
});

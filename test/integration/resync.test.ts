// Full resync: a job scheduler per key system, and an immediate resync at start-up when the mapping
// fingerprint changed; the resync enqueues every person, coalescing with jobs already waiting.
import { RESYNC_SCHEDULER_ID, scheduleResync } from "../../src/reconcile/schedule-resync";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { type Harness, heldRefs, startHarness, waitFor } from "./pipeline-harness";

let redis: TestRedis;
let h: Harness;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await h?.close();
  await redis.stop();
});

it("registers the periodic resync and runs one at once only when the mappings changed", async () => {
  h = await startHarness(redis, { startWorkers: false });
  const ids = [await h.createUser("a"), await h.createUser("b"), await h.createUser("c")];
  const staff = await h.createGroup("Staff", []);
  // Membership written without the hook, as if every event had been lost.
  await h.store.changeMembers("acme", staff, { add: ids }, { correlationId: "lost" });
  const resync = { queues: h.deps.queues, redis: h.redis, everyMs: 86_400_000, newId: () => "r1" };

  expect(await scheduleResync({ ...resync, fingerprint: "v1" })).toEqual({ startedNow: true });
  expect(await scheduleResync({ ...resync, fingerprint: "v1" })).toEqual({ startedNow: false });
  for (const system of h.deps.queues.systems()) {
    const schedulers = await h.deps.queues.queue(system).getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.every])).toEqual([[RESYNC_SCHEDULER_ID, 86_400_000]]);
  }

  h.startWorkers();
  for (const id of ids)
    await waitFor(async () => (await heldRefs(h, "lockhall", id)).length === 1, 10_000, "granted by resync");
});

// A fresh start runs one full resync per key system, not two: the new job scheduler already starts one
// at once, so the "mappings changed" resync is only added when the scheduler existed before.
import type { RedisClient } from "../../src/store/create-redis-client";
import { createReconcileQueues, type ReconcileQueues } from "../../src/reconcile/reconcile-queues";
import { scheduleResync } from "../../src/reconcile/schedule-resync";
import { JOB_NAMES } from "../../src/reconcile/reconcile-job";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";

let server: TestRedis;
let redis: RedisClient;
let queues: ReconcileQueues;

beforeAll(async () => {
  server = await startTestRedis();
  redis = server.client();
  queues = createReconcileQueues({ connection: redis, systems: ["a", "b"], attempts: 3 });
});
afterAll(async () => {
  await queues.close();
  await server.stop();
});

/** Resync jobs of one system that are due now (not the scheduler's next run a day away). */
async function dueResyncs(system: string): Promise<number> {
  const jobs = await queues.queue(system).getJobs(["waiting", "prioritized", "delayed"]);
  const now = Date.now();
  return jobs.filter((j) => j.name === JOB_NAMES.resync && j.timestamp + (j.delay ?? 0) <= now + 1_000)
    .length;
}

test("a fresh start queues one due resync per system, not two", async () => {
  const deps = { queues, redis, everyMs: 86_400_000, newId: () => "r" };
  expect(await scheduleResync({ ...deps, fingerprint: "v1" })).toEqual({ startedNow: true });
  expect(await dueResyncs("a")).toBe(1);
  expect(await dueResyncs("b")).toBe(1);
});

test("a restart with changed mappings adds a resync at once; with the same mappings it adds none", async () => {
  const deps = { queues, redis, everyMs: 86_400_000, newId: () => "r" };
  expect(await scheduleResync({ ...deps, fingerprint: "v1" })).toEqual({ startedNow: false });
  expect(await dueResyncs("a")).toBe(1);
  expect(await scheduleResync({ ...deps, fingerprint: "v2" })).toEqual({ startedNow: true });
  expect(await dueResyncs("a")).toBe(2);
});

// Queue memory per person stays bounded on real Redis: a burst of changes leaves one waiting job per
// person; a completed job is not kept; failed jobs are kept only up to the per-queue count, and a kept
// failed job never blocks that person's next reconcile (BullMQ frees the deduplication key on failure).
import { Worker } from "bullmq";
import type { RedisClient } from "../../src/store/create-redis-client";
import { createReconcileQueues, type ReconcileQueues } from "../../src/reconcile/reconcile-queues";
import { PRIORITY, type ReconcileJobData } from "../../src/reconcile/reconcile-job";
import { redisKeys } from "../../src/store/redis-keys";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";

const SYSTEM = "retention";
let server: TestRedis;
let redis: RedisClient;
let queues: ReconcileQueues;

function job(personId: string, n = 0): ReconcileJobData {
  return { tenant: "t1", personId, trigger: "updated", correlationId: `c${n}` };
}

/** A worker whose every job ends as `outcome`, counting the jobs it finished. */
function startWorker(outcome: "complete" | "fail") {
  let finished = 0;
  const worker = new Worker(
    redisKeys.reconcileQueue(SYSTEM),
    async () => {
      if (outcome === "fail") throw new Error("driver refused");
    },
    { connection: server.client(), prefix: redisKeys.queuePrefix() },
  );
  worker.on("completed", () => finished++);
  worker.on("failed", () => finished++);
  const until = async (count: number) => {
    for (let t = 0; t < 400 && finished < count; t++) await new Promise((r) => setTimeout(r, 25));
    expect(finished).toBe(count);
  };
  return { worker, until };
}

beforeAll(async () => {
  server = await startTestRedis();
  redis = server.client();
});
beforeEach(async () => {
  await redis.flushall();
  queues = createReconcileQueues({ connection: redis, systems: [SYSTEM], attempts: 1, failedJobsKept: 5 });
});
afterEach(async () => {
  await queues.close();
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

test("a burst of 200 changes to one person leaves one waiting job", async () => {
  for (let i = 0; i < 200; i++) await queues.enqueue(SYSTEM, job("p1", i), PRIORITY.change);
  await queues.enqueue(SYSTEM, job("p2"), PRIORITY.change);
  const counts = await queues.queue(SYSTEM).getJobCounts("waiting", "prioritized", "delayed");
  expect(counts).toEqual({ waiting: 0, prioritized: 2, delayed: 0 });
});

test("completed jobs are not kept", async () => {
  for (let i = 0; i < 20; i++) await queues.enqueue(SYSTEM, job(`p${i}`), PRIORITY.change);
  const { worker, until } = startWorker("complete");
  await until(20);
  await worker.close();
  expect(await queues.queue(SYSTEM).getJobCounts("completed")).toEqual({ completed: 0 });
});

test("failed jobs are kept up to the count, and a kept failure does not block the next reconcile", async () => {
  const { worker, until } = startWorker("fail");
  for (let i = 1; i <= 12; i++) {
    // One person failing on every change: each change is a new job once the last one failed.
    await queues.enqueue(SYSTEM, job("p1", i), PRIORITY.change);
    await until(i);
  }
  await worker.close();
  const counts = await queues.queue(SYSTEM).getJobCounts("failed", "prioritized", "waiting");
  expect(counts).toEqual({ failed: 5, prioritized: 0, waiting: 0 });
});

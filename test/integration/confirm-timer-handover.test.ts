// A pending grant is confirmed however the confirm timer's hand-over interleaves with the reconcile it
// hands over to: the timer job is still active (or already promoted) when that reconcile sets the next
// confirm, and a timer id reused across runs made BullMQ drop the new timer (an add with the id of a job
// that still exists returns that job), leaving the grant pending_programming for good.
import type { Job } from "bullmq";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { type Harness, startHarness, TENANT, waitFor } from "./pipeline-harness";

let redis: TestRedis;
let h: Harness | undefined;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  await redis.flush();
});
afterAll(async () => {
  await redis.stop();
});

const PERSON = { tenant: TENANT, personId: "p-1", trigger: "confirm" as const, correlationId: "c-1" };

it("a grant still programming is confirmed when each confirm's reconcile finishes before its timer job does", async () => {
  // The key takes longer to program than one confirm interval, so the first confirm still sees it pending
  // and sets the next one; 4 slots let that reconcile run while the timer job is held.
  h = await startHarness(redis, {
    concurrency: 4,
    confirmAfterMs: 200,
    memory: { lockhall: { programmingDelayMs: 1000 } },
  });
  const harness = h;
  const queues = harness.deps.queues;
  const worker = harness.workers?.workers.get("lockhall");
  if (!worker) throw new Error("no lockhall worker");
  // The hook: a confirm timer's processor hands over, then does not return until the reconcile it
  // handed over to has finished (what a loaded machine does when the timer's completion lags).
  const heldWhileActive: string[] = [];
  const enqueue = queues.enqueue.bind(queues);
  queues.enqueue = async (system, data, priority) => {
    if (data.trigger !== "confirm") return enqueue(system, data, priority);
    const done = new Promise<void>((resolve) => {
      const onDone = (job: Job) => {
        if (job.name !== "reconcile" || job.data.trigger !== "confirm") return;
        worker.off("completed", onDone);
        resolve();
      };
      worker.on("completed", onDone);
    });
    await enqueue(system, data, priority);
    await Promise.race([done, new Promise((r) => setTimeout(r, 10_000))]);
    heldWhileActive.push(system);
  };

  const kim = await harness.createUser("kim");
  await harness.createGroup("Staff", [kim]);
  const office = async () =>
    (await harness.ledger.read(TENANT, "lockhall", kim)).entries.find((e) => e.profile === "office");
  await waitFor(async () => (await office())?.state === "pending_programming", 10_000, "grant pending");
  await waitFor(async () => (await office())?.state === "effective", 15_000, "grant confirmed effective");
  // The race was driven: at least one confirm reconcile ran to its end while its timer job was held.
  expect(heldWhileActive.length).toBeGreaterThan(0);
  const ledger = await harness.ledger.read(TENANT, "lockhall", kim);
  expect(ledger.holder.timers?.confirm).toBeUndefined();
});

it("a confirm set while the previous confirm timer waits to run (promoted, not started) is kept", async () => {
  h = await startHarness(redis, { startWorkers: false });
  const queues = h.deps.queues;
  const queue = queues.queue("lockhall");
  const now = new Date();
  // The previous confirm came due: promoted to the waiting list, no worker has taken it yet.
  await queues.setTimer("lockhall", "confirm", PERSON, now, undefined, now, 5);
  await waitFor(async () => (await queue.getJobCounts("prioritized")).prioritized === 1, 5_000, "promoted");
  // A reconcile of another trigger still sees the effect pending and sets the next confirm.
  const next = new Date(now.getTime() + 60_000);
  await queues.setTimer("lockhall", "confirm", PERSON, next, now.toISOString(), now, 5);
  const delayed = await queue.getDelayed();
  expect(delayed.map((j) => ({ name: j.name, trigger: j.data.trigger }))).toEqual([
    { name: "timer", trigger: "confirm" },
  ]);
});

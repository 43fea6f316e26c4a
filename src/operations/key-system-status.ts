// Per key system what an operator (and /metrics) needs to see a stuck system before a leaver walks
// back in: queue depth by state, the age of the oldest waiting job, paused, the last job failure.
import type { Queue } from "bullmq";
import type { ReconcileQueues } from "../reconcile/reconcile-queues";

export interface KeySystemStatus {
  system: string;
  configured: boolean;
  paused: boolean;
  /** Jobs not yet done: waiting + prioritized + delayed + active (failed jobs are counted apart). */
  depth: number;
  counts: Record<string, number>;
  /** Seconds since the job at the head of the queue was enqueued (delayed jobs aside); 0: none waits. */
  oldestJobAgeSeconds: number;
  lastError?: { message: string; at: string };
}

const STATES = ["waiting", "prioritized", "delayed", "active", "failed"] as const;

export async function readKeySystemStatus(
  queues: ReconcileQueues,
  configured: (system: string) => boolean,
  now: Date,
): Promise<KeySystemStatus[]> {
  return Promise.all(
    queues.systems().map((system) => readOne(queues.queue(system), system, configured, now)),
  );
}

async function readOne(
  queue: Queue,
  system: string,
  configured: (system: string) => boolean,
  now: Date,
): Promise<KeySystemStatus> {
  const [counts, paused, oldest, failed] = await Promise.all([
    queue.getJobCounts(...STATES),
    queue.isPaused(),
    oldestWaiting(queue),
    queue.getJobs(["failed"], 0, 0, false),
  ]);
  const depth =
    (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0) + (counts.active ?? 0);
  const status: KeySystemStatus = {
    system,
    configured: configured(system),
    paused,
    depth,
    counts,
    oldestJobAgeSeconds: oldest === undefined ? 0 : Math.max(0, (now.getTime() - oldest) / 1000),
  };
  const last = failed[0];
  if (last?.failedReason)
    status.lastError = {
      message: last.failedReason,
      at: new Date(last.finishedOn ?? last.timestamp).toISOString(),
    };
  return status;
}

/**
 * Enqueue time (ms) of the oldest job at the head of the queue: the first waiting job and the next
 * prioritized one (a paused queue keeps its jobs in waiting, BullMQ 5). A stalled system shows here.
 */
async function oldestWaiting(queue: Queue): Promise<number | undefined> {
  const heads = await Promise.all(
    (["waiting", "prioritized"] as const).map((state) => queue.getJobs([state], 0, 0, true)),
  );
  const times = heads
    .flat()
    .map((job) => job.timestamp)
    .filter((t) => typeof t === "number");
  return times.length === 0 ? undefined : Math.min(...times);
}

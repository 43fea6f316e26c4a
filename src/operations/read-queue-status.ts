// Key systems and their queues as an operator checks them: depth, oldest waiting job, paused, and the
// last failure — the view that shows a stuck key system before a leaver walks back in.
import type { ReconcileQueues } from "../reconcile/reconcile-queues";

export interface QueueStatus {
  system: string;
  /** Has connection settings; an unconfigured system defers its changes instead of queueing them. */
  configured: boolean;
  paused: boolean;
  /** Jobs not yet done: waiting, prioritized, delayed (backoff, timers) and active. */
  depth: number;
  counts: Record<string, number>;
  /** Enqueue time of the oldest job waiting to run (ISO); undefined when none waits. */
  oldestWaiting?: string;
  lastFailure?: { at: string; reason: string };
}

const COUNTED = ["waiting", "prioritized", "delayed", "active", "failed"] as const;
/** Jobs sampled for the oldest enqueue time: the prioritized set is ordered by priority, not age. */
const OLDEST_SAMPLE = 200;

export async function readQueueStatus(
  queues: ReconcileQueues,
  configured: (system: string) => boolean,
): Promise<QueueStatus[]> {
  const out: QueueStatus[] = [];
  for (const system of queues.systems()) {
    const queue = queues.queue(system);
    const counts = await queue.getJobCounts(...COUNTED);
    const depth =
      (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0) + (counts.active ?? 0);
    const waiting = await queue.getJobs(["waiting", "prioritized"], 0, OLDEST_SAMPLE - 1, true);
    const oldest = waiting.reduce<number | undefined>(
      (min, job) => (min === undefined || job.timestamp < min ? job.timestamp : min),
      undefined,
    );
    const [failed] = await queue.getFailed(0, 0);
    const status: QueueStatus = {
      system,
      configured: configured(system),
      paused: await queue.isPaused(),
      depth,
      counts,
    };
    if (oldest !== undefined) status.oldestWaiting = new Date(oldest).toISOString();
    if (failed?.failedReason)
      status.lastFailure = {
        at: new Date(failed.finishedOn ?? failed.timestamp).toISOString(),
        reason: failed.failedReason,
      };
    out.push(status);
  }
  return out;
}

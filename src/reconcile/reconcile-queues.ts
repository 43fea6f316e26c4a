// The producer side of the pipeline: one BullMQ queue per key system, coalescing enqueue with
// priority upgrade, and deterministic delayed timers (scimmy-and-bullmq.md Part B).
import { randomUUID } from "node:crypto";
import { type JobsOptions, Queue } from "bullmq";
import type { RedisClient } from "../store/create-redis-client";
import { redisKeys } from "../store/redis-keys";
import {
  JOB_NAMES,
  PRIORITY,
  type ReconcileJobData,
  type ResyncJobData,
  reconcileDedupeId,
  type TimerKind,
  timerJobId,
} from "./reconcile-job";

export interface ReconcileQueuesOptions {
  /** Shared by all queues. On the SCIM request path make it fail fast (maxRetriesPerRequest: 1). */
  connection: RedisClient;
  /** Key system ids declared by the mappings. */
  systems: string[];
  /** config.reconcile.attempts */
  attempts: number;
  /** Failed jobs kept per queue, for diagnosis (default FAILED_JOBS_KEPT). */
  failedJobsKept?: number;
}

/**
 * Bounds what a queue keeps after jobs finish (scimmy-and-bullmq.md B3: ~800 B a job). A person has at
 * most one waiting and one active reconcile (deduplication with keepLastIfActive) and one timer of each
 * kind; finished jobs are the only thing that could grow with churn, so: completed ones go at once (the
 * ledger and the audit are the record), failed ones are kept 30 days but never more than this many per
 * queue (a person failing on every change no longer adds a job per change for a month). A kept job does
 * not block new work: every reconcile add has a fresh id, and BullMQ frees the deduplication key when
 * the job finishes.
 */
export const FAILED_JOBS_KEPT = 1000;
const FAILED_JOB_AGE_SECONDS = 30 * 24 * 3600;

/** Name of the custom backoff strategy the workers register (retry-policy.ts backoffDelay). */
export const BACKOFF_STRATEGY = "kb-jitter";

export class ReconcileQueues {
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly options: ReconcileQueuesOptions) {
    this.add(options.systems);
  }

  /** Opens queues for key systems declared since (a mapping reload); known systems are left alone. */
  add(systems: string[]): string[] {
    const added = systems.filter((s) => !this.queues.has(s));
    for (const system of added) {
      const queue = new Queue(redisKeys.reconcileQueue(system), {
        connection: this.options.connection,
        prefix: redisKeys.queuePrefix(),
        defaultJobOptions: {
          attempts: this.options.attempts,
          backoff: { type: BACKOFF_STRATEGY },
          removeOnComplete: true,
          removeOnFail: {
            age: FAILED_JOB_AGE_SECONDS,
            count: this.options.failedJobsKept ?? FAILED_JOBS_KEPT,
          },
        },
      });
      this.queues.set(system, queue);
    }
    return added;
  }

  systems(): string[] {
    return [...this.queues.keys()];
  }

  queue(system: string): Queue {
    const queue = this.queues.get(system);
    if (!queue) throw new Error(`no reconcile queue for key system ${system}`);
    return queue;
  }

  /**
   * Enqueues one reconcile, coalesced per (tenant, person): a burst leaves one job waiting, and an
   * add while that person's job runs is kept as the one next job (keepLastIfActive). A revocation
   * that finds a waiting lower-priority job raises that job to priority 1 instead of waiting behind it.
   */
  async enqueue(system: string, data: ReconcileJobData, priority: number): Promise<void> {
    const queue = this.queue(system);
    // A fresh id per add (never reused, so no retained job blocks it): when BullMQ hands back a
    // different id, the add was coalesced into a job already there — the only case worth an upgrade.
    const jobId = randomUUID();
    const job = await queue.add(JOB_NAMES.reconcile, data, {
      jobId,
      priority,
      deduplication: { id: reconcileDedupeId(data.tenant, data.personId), keepLastIfActive: true },
    });
    if (priority !== PRIORITY.revocation || !job.id || job.id === jobId) return;
    const existing = await queue.getJob(job.id);
    if (!existing || existing.priority <= priority) return;
    // No state check first: BullMQ's changePriority script only moves a job that still waits, and for
    // one that started meanwhile it just records the priority (used if it is retried).
    await existing.changePriority({ priority }).catch(() => undefined);
  }

  /** Adds many reconciles at one priority (resync); coalesces with jobs already waiting. */
  async enqueueBulk(system: string, data: ReconcileJobData[], priority: number): Promise<void> {
    await this.queue(system).addBulk(
      data.map((d) => ({
        name: JOB_NAMES.reconcile,
        data: d,
        opts: {
          priority,
          deduplication: { id: reconcileDedupeId(d.tenant, d.personId), keepLastIfActive: true },
        } satisfies JobsOptions,
      })),
    );
  }

  /**
   * Sets, moves or cancels a person's timer of one kind. `previousAt` is what was scheduled before
   * (from the ledger): a timer for another time replaces it, null cancels it. Each due time has its own
   * job id (reconcile-job.ts timerJobId), so a new timer is never swallowed by the one that is running.
   * `priority` (schedule-timers.ts timerPriority) is set on a new job and corrected on a waiting one:
   * BullMQ reads a delayed job's priority when it promotes it, so the correction holds. Setting the time
   * already recorded re-adds a timer that went missing.
   */
  async setTimer(
    system: string,
    kind: TimerKind,
    data: ReconcileJobData,
    at: Date | null,
    previousAt: string | undefined,
    now: Date,
    priority: number,
  ): Promise<void> {
    const queue = this.queue(system);
    const id = at === null ? undefined : timerJobId(kind, data.tenant, data.personId, at);
    const previousId =
      previousAt === undefined ? undefined : timerJobId(kind, data.tenant, data.personId, previousAt);
    if (previousId !== undefined && previousId !== id) await cancelTimer(queue, previousId);
    if (at === null || id === undefined) return;
    const existing = await queue.getJob(id);
    const state = existing ? await existing.getState() : undefined;
    if (existing && state !== "completed" && state !== "failed") {
      // Set for this very time already; a timer that started meanwhile keeps the priority it ran at.
      if (existing.priority !== priority) await existing.changePriority({ priority }).catch(() => undefined);
      return;
    }
    if (existing) await existing.remove();
    const delay = Math.max(0, at.getTime() - now.getTime());
    await queue.add(JOB_NAMES.timer, { ...data, trigger: kind }, { jobId: id, delay, priority, attempts: 3 });
  }

  /** Adds one immediate full resync of a key system (start-up after the mappings changed). */
  async resyncNow(system: string, data: ResyncJobData): Promise<void> {
    await this.queue(system).add(JOB_NAMES.resync, data, { priority: PRIORITY.resync, attempts: 3 });
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}

/**
 * Removes a superseded timer if it is still there. One that started meanwhile cannot be removed (it is
 * locked) and hands over to one more reconcile, which is harmless: a reconcile re-reads everything.
 */
async function cancelTimer(queue: Queue, id: string): Promise<void> {
  const job = await queue.getJob(id);
  await job?.remove().catch(() => undefined);
}

export function createReconcileQueues(options: ReconcileQueuesOptions): ReconcileQueues {
  return new ReconcileQueues(options);
}

// Starts one BullMQ worker per key system, with that system's concurrency, rate limit and mode, and
// shuts them down gracefully: stop taking work, finish running jobs, close the drivers.
import { type Job, Worker } from "bullmq";
import type { RedisClient } from "../store/create-redis-client";
import type { Config } from "../config/config-schema";
import { redisKeys } from "../store/redis-keys";
import { handleFailure } from "./handle-failure";
import type { ReconcileDeps } from "./reconcile-deps";
import { JOB_NAMES, type ReconcileJobData, type ResyncJobData, timerHandoverPriority } from "./reconcile-job";
import { type RunProgress, reconcilePerson } from "./reconcile-person";
import { BACKOFF_STRATEGY } from "./reconcile-queues";
import { runResync } from "./run-resync";
import { runResyncBatch } from "./run-resync-batch";
import { RESYNC_BATCH_JOB, type ResyncBatchJobData } from "./resync-batch-job";
import { backoffDelay } from "./retry-policy";

export interface WorkerDeps extends ReconcileDeps {
  /** An ioredis connection with maxRetriesPerRequest: null (BullMQ duplicates it for blocking reads). */
  connection: RedisClient;
  config: Pick<Config, "keySystems" | "reconcile">;
  /** Tenants to walk in a full resync. */
  tenants: () => Promise<string[]>;
  /** Jitter source for backoff (tests inject a fixed one). */
  random?: () => number;
  /** Key systems to work on (default: every queue); unconfigured systems keep their jobs waiting. */
  systems?: string[];
  /** Blocking-read timeout of an idle worker (default 1 s). */
  drainDelaySeconds?: number;
}

export interface ReconcileWorkers {
  workers: ReadonlyMap<string, Worker>;
  /** Graceful: stop fetching, wait for running jobs, close the drivers. */
  close(): Promise<void>;
}

export const WORKER_LOG = {
  started: "reconcile worker started",
  stopped: "reconcile workers stopped",
} as const;

export function startReconcileWorkers(deps: WorkerDeps): ReconcileWorkers {
  const workers = new Map<string, Worker>();
  for (const system of deps.systems ?? deps.queues.systems()) {
    const settings = deps.config.keySystems[system];
    const log = deps.logger.child({ system });
    const worker = new Worker(
      redisKeys.reconcileQueue(system),
      async (job: Job) => processJob(job, system, deps, log),
      {
        connection: deps.connection,
        prefix: redisKeys.queuePrefix(),
        concurrency: settings?.concurrency ?? 4,
        limiter: settings?.rateLimit
          ? { max: settings.rateLimit.max, duration: settings.rateLimit.durationMs }
          : undefined,
        // A killed worker's revocation restarts within about lockDuration + stalledInterval of another
        // worker running (issue #9 item 8; BullMQ's 30 s + 30 s defaults made it ~70 s).
        lockDuration: deps.config.reconcile.lockDurationMs,
        stalledInterval: deps.config.reconcile.stalledIntervalMs,
        // An idle worker re-polls every drainDelay seconds; BullMQ's 5 s default also delays the
        // restart after a vendor rate limit by up to 5 s (measured: 5.1 s for a 0.7 s Retry-After).
        drainDelay: deps.drainDelaySeconds ?? 1,
        settings: {
          backoffStrategy: (attemptsMade: number, type?: string) =>
            type === BACKOFF_STRATEGY
              ? backoffDelay(attemptsMade, deps.config.reconcile.backoffMs, deps.random ?? Math.random)
              : 0,
        },
      },
    );
    worker.on("error", (err) => log.error({ err }, "reconcile worker error"));
    workers.set(system, worker);
    log.info({ concurrency: settings?.concurrency ?? 4 }, WORKER_LOG.started);
  }
  return {
    workers,
    async close() {
      await Promise.all([...workers.values()].map((w) => w.close()));
      await Promise.all([...deps.drivers.values()].map((d) => d.close()));
      deps.logger.info(WORKER_LOG.stopped);
    },
  };
}

async function processJob(job: Job, system: string, deps: WorkerDeps, log: WorkerDeps["logger"]) {
  if (job.name === JOB_NAMES.resync) {
    return runResync(system, job.data as ResyncJobData, deps);
  }
  // A batch hands every person it cannot settle to their own reconcile; its own failure (Redis) retries.
  if (job.name === RESYNC_BATCH_JOB) return runResyncBatch(system, job.data as ResyncBatchJobData, deps);
  const data = job.data as ReconcileJobData;
  if (job.name === JOB_NAMES.timer) {
    // A due timer hands over to the person's coalesced reconcile, so one person never runs twice at once.
    await deps.queues.enqueue(system, data, timerHandoverPriority(data.trigger, job.priority));
    return { enqueued: data.trigger };
  }
  const jobLog = log.child({ tenant: data.tenant, personId: data.personId, jobId: job.id });
  const progress: RunProgress = {};
  try {
    return await reconcilePerson(data, system, deps, progress);
  } catch (err) {
    return handleFailure(err, job as Job<ReconcileJobData>, system, deps, jobLog, progress);
  }
}

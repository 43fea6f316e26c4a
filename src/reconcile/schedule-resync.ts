// Keeps the periodic full resync of every key system registered (a BullMQ job scheduler), and starts
// one at once when the mapping files changed since the last run.
import type { RedisClient } from "../store/create-redis-client";
import { redisKeys } from "../store/redis-keys";
import { JOB_NAMES, PRIORITY } from "./reconcile-job";
import type { ReconcileQueues } from "./reconcile-queues";

export interface ScheduleResyncDeps {
  queues: ReconcileQueues;
  redis: RedisClient;
  /** config.reconcile.resyncEveryMs */
  everyMs: number;
  /** The current mapping set's fingerprint. */
  fingerprint: string;
  newId: () => string;
  /** Systems to schedule (default: every queue). Unconfigured systems get none: nobody would run it. */
  systems?: string[];
}

export const RESYNC_SCHEDULER_ID = "full-resync";

/** Returns whether an immediate resync was started because the mappings changed. */
export async function scheduleResync(deps: ScheduleResyncDeps): Promise<{ startedNow: boolean }> {
  // A scheduler created now runs its first resync at once (BullMQ: an `every` scheduler always starts
  // immediately), so only systems whose scheduler already existed need an extra one when the mappings
  // changed — otherwise a fresh start ran (and audited) two full resyncs.
  const fresh = new Set<string>();
  const systems = deps.systems ?? deps.queues.systems();
  for (const system of systems) {
    if (!(await deps.queues.queue(system).getJobScheduler(RESYNC_SCHEDULER_ID))) fresh.add(system);
    await deps.queues.queue(system).upsertJobScheduler(
      RESYNC_SCHEDULER_ID,
      { every: deps.everyMs },
      {
        name: JOB_NAMES.resync,
        data: { trigger: "resync", correlationId: `resync|${system}` },
        opts: { priority: PRIORITY.resync },
      },
    );
  }
  const previous = await deps.redis.get(redisKeys.resyncFingerprint());
  if (previous === deps.fingerprint) return { startedNow: false };
  const correlationId = `resync|${deps.newId()}`;
  for (const system of systems) {
    if (!fresh.has(system)) await deps.queues.resyncNow(system, { trigger: "resync", correlationId });
  }
  await deps.redis.set(redisKeys.resyncFingerprint(), deps.fingerprint);
  return { startedNow: true };
}

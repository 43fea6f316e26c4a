// Enqueues one person's reconcile in every key system at the priority classify-priority decides, and
// for a key system without connection settings records the person in that system's deferred outbox
// instead, so jobs nobody can run never pile up (issue 10 item 9); drainDeferred enqueues them later.
import type { RedisClient } from "../store/create-redis-client";
import { redisKeys } from "../store/redis-keys";
import { classifyPriorityOrRevoke, type PriorityDeps } from "./classify-priority";
import type { PersonChangeKind } from "../store/directory-change";
import type { ReconcileJobData } from "./reconcile-job";
import type { ReconcileQueues } from "./reconcile-queues";

export interface EnqueueReconcileDeps extends PriorityDeps {
  queues: ReconcileQueues;
  /** Whether a worker can reach the system; unset: every system is configured. */
  configured?: (system: string) => boolean;
  /** Needed only when some system is unconfigured (the deferred outbox lives in Redis). */
  redis?: RedisClient;
}

/** Per key system the priority the job was enqueued at, or "deferred". */
export type EnqueueOutcome = Map<string, number | "deferred">;

export async function enqueueReconcile(
  deps: EnqueueReconcileDeps,
  job: ReconcileJobData,
  options: { kind?: PersonChangeKind; systems?: string[]; onClassifyError?: (err: unknown) => void } = {},
): Promise<EnqueueOutcome> {
  const systems = options.systems ?? deps.queues.systems();
  const ready = systems.filter((s) => deps.configured?.(s) ?? true);
  const deferred = systems.filter((s) => !ready.includes(s));
  const outcome: EnqueueOutcome = new Map();
  if (deferred.length > 0) {
    if (!deps.redis) throw new Error("enqueueReconcile: unconfigured key systems need deps.redis");
    const at = deps.clock.now().getTime();
    // NX: the first deferral's time is kept, so the oldest waiting change stays visible.
    await Promise.all(
      deferred.map((s) => deps.redis!.zadd(redisKeys.deferredPersons(job.tenant, s), "NX", at, job.personId)),
    );
    for (const s of deferred) outcome.set(s, "deferred");
  }
  if (ready.length === 0) return outcome;
  // One person's odd data must not stop their reconcile: unclassifiable means revocation priority.
  const priorities = await classifyPriorityOrRevoke(
    deps,
    job.tenant,
    job.personId,
    ready,
    options.kind,
    options.onClassifyError,
  );
  await Promise.all(
    ready.map((s) => {
      const priority = priorities.get(s) ?? 1;
      outcome.set(s, priority);
      return deps.queues.enqueue(s, job, priority);
    }),
  );
  return outcome;
}

/**
 * Moves one key system's deferred persons onto its queue (start-up or mapping reload, once the system
 * is configured), a page at a time; each leaves the outbox only after its enqueue succeeded.
 */
export async function drainDeferred(
  deps: EnqueueReconcileDeps & { redis: RedisClient },
  tenant: string,
  system: string,
  correlationId: string,
  pageSize = 500,
): Promise<number> {
  const key = redisKeys.deferredPersons(tenant, system);
  let count = 0;
  for (;;) {
    const page = await deps.redis.zrange(key, "0", String(pageSize - 1));
    if (page.length === 0) return count;
    for (const personId of page) {
      // The caller drains only configured systems: never defer again (that would loop).
      await enqueueReconcile(
        { ...deps, configured: undefined },
        { tenant, personId, trigger: "sweep", correlationId },
        { systems: [system] },
      );
    }
    await deps.redis.zrem(key, ...page);
    count += page.length;
  }
}

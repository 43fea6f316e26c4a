// The worker side of a mapping reload: workers for newly declared (and configured) key systems, the
// resync a restart would run, and one more try for every person needing attention.
import { enqueueReconcile } from "../reconcile/enqueue-reconcile";
import { startReconcileWorkers } from "../reconcile/reconcile-workers";
import type { RedisClient } from "../store/create-redis-client";
import type { Core } from "./build-core";
import { buildDrivers } from "./build-drivers";
import { releaseDeferred } from "./release-deferred";
import { reconcileDeps, scheduleResyncOf } from "./start-workers";

export const RELOAD_WORKERS_LOG = {
  systemsAdded: "mapping reload declared new key systems: queues and workers started",
  attentionRetried: "mapping reload: persons needing attention enqueued again",
} as const;

export async function afterReloadInWorkers(
  core: Core,
  added: string[],
  onStarted: ((close: () => Promise<void>) => void) | undefined,
  connection: RedisClient,
): Promise<void> {
  const fresh = added.filter(core.configured);
  if (fresh.length > 0) {
    const current = core.mappings.current;
    const only = {
      ...current,
      keySystems: new Map([...current.keySystems].filter(([s]) => fresh.includes(s))),
    };
    const built = buildDrivers(core.config, only, core);
    const workers = startReconcileWorkers({
      ...reconcileDeps(core, built),
      connection,
      config: core.config,
      tenants: core.tenants,
      systems: [...built.drivers.keys()],
    });
    onStarted?.(() => workers.close());
    core.logger.info({ systems: fresh }, RELOAD_WORKERS_LOG.systemsAdded);
    // Persons changed while the system was declared but could not run wait in its deferred outbox.
    await releaseDeferred(core, fresh, `release|${core.newId()}`);
  }
  // As a restart would: a new system's scheduler starts its first resync, changed mappings resync all.
  await scheduleResyncOf(core, core.queues.systems().filter(core.configured));
  await retryAttention(core);
}

/** Each flagged (person, key system) once more at the priority the pipeline decides; the flag stays
 * until a reconcile succeeds (reconcile-person.ts clears it then). */
async function retryAttention(core: Core): Promise<void> {
  const correlationId = `reload|${core.access.fingerprint().slice(0, 12)}`;
  let count = 0;
  for (const tenant of await core.tenants()) {
    for (const flag of await core.ledger.listAttention(tenant)) {
      if (!core.queues.systems().includes(flag.system)) continue;
      const job = { tenant, personId: flag.personId, trigger: "resync" as const, correlationId };
      await enqueueReconcile(core, job, { systems: [flag.system] });
      count++;
    }
  }
  if (count > 0) core.logger.info({ count }, RELOAD_WORKERS_LOG.attentionRetried);
}

// Starts the reconcile side of a process: one BullMQ worker per configured key system, the dirty-set
// sweeper (nothing accepted is lost) and the periodic full resync (at once when the mappings changed).
import { startOutboxMover } from "../audit/audit-outbox";
import { startDirtySweeper } from "../reconcile/dirty-sweeper";
import type { ReconcileDeps } from "../reconcile/reconcile-deps";
import { startReconcileWorkers } from "../reconcile/reconcile-workers";
import { scheduleResync } from "../reconcile/schedule-resync";
import { applySignal } from "../signals/apply-signal";
import type { IdpSignal } from "../signals/idp-signal";
import { buildOktaLogPollers } from "../signals/okta/build-okta-log-pollers";
import { setAsideHopeless } from "../signals/set-aside-hopeless";
import type { BuiltDrivers } from "./build-drivers";
import type { Core } from "./build-core";
import { buildSignalDeps } from "./build-signal-deps";
import { releaseDeferred } from "./release-deferred";
import { observingAudit } from "../metrics/observing-audit";
import { checkEntraCredentials, type RunningEntraChannels, startEntraChannels } from "./start-entra-channels";

export interface RunningWorkers {
  /** The Entra Graph delta pollers of the tenants that configure one. */
  entra: RunningEntraChannels;
  close(): Promise<void>;
}

export function reconcileDeps(core: Core, built: BuiltDrivers): ReconcileDeps {
  return {
    directory: core.directory,
    access: core.access,
    drivers: built.drivers,
    settings: built.settings,
    ledger: core.ledger,
    dirty: core.dirty,
    queues: core.queues,
    // Revocation latency and driver errors are read off the audit records (metrics/observing-audit.ts).
    audit: observingAudit(core.audit, core.metrics, () => core.clock.now()),
    clock: core.clock,
    newId: core.newId,
    logger: core.logger,
    confirmAfterMs: core.config.reconcile.confirmAfterMs,
    workItemRecheckMs: core.config.reconcile.workItemRecheckMs,
    resyncBatch: (system) =>
      core.config.keySystems[system]?.rateLimit
        ? null
        : {
            persons: core.config.reconcile.resyncBatchSize,
            observeParallelism: core.config.reconcile.resyncObserveParallelism,
          },
  };
}

/** The periodic full resync of `systems` (at once when the mappings changed since the last one). */
export async function scheduleResyncOf(core: Core, systems: string[]): Promise<void> {
  await scheduleResync({
    queues: core.queues,
    redis: core.redis,
    everyMs: core.config.reconcile.resyncEveryMs,
    fingerprint: core.access.fingerprint(),
    newId: core.newId,
    systems,
  });
}

/** `connection` must never give up on a command (maxRetriesPerRequest: null), as BullMQ requires. */
export async function startWorkers(
  core: Core,
  built: BuiltDrivers,
  connection = core.redis,
): Promise<RunningWorkers> {
  const deps = reconcileDeps(core, built);
  // Built before anything starts: a missing Okta credential refuses the start with nothing to stop.
  const signalDeps = buildSignalDeps(core);
  // The polling channels re-read a page when a signal fails; one that always fails is set aside.
  const apply = setAsideHopeless(
    { redis: core.redis, logger: core.logger, now: () => core.clock.now() },
    (signal: IdpSignal) => applySignal(signalDeps, signal),
  );
  const oktaLog = buildOktaLogPollers(core, apply);
  checkEntraCredentials(core.config);
  const workers = startReconcileWorkers({
    ...deps,
    connection,
    config: core.config,
    tenants: core.tenants,
    systems: [...built.drivers.keys()],
  });
  const sweeper = startDirtySweeper({
    ...deps,
    tenants: core.tenants,
    configured: core.configured,
    redis: core.redis,
  });
  await releaseDeferred(core, [...built.drivers.keys()], `release|${core.newId()}`);
  // Also here: an API process that died after a commit leaves its audit records to any live process.
  const mover = startOutboxMover(core.auditOutbox, core.tenants);
  await scheduleResyncOf(core, [...built.drivers.keys()]);
  oktaLog.start();
  const entra = startEntraChannels(core, apply);
  return {
    entra,
    async close() {
      await oktaLog.close();
      await entra.close();
      await sweeper.close();
      await mover.close();
      await workers.close();
    },
  };
}

// What a mapping reload (SIGHUP) does beyond swapping the rules: audit it, open queues for newly
// declared key systems in every core, and in a worker process start their workers, run the resync a
// restart would run, and retry every person needing attention — a fixed mapping is often the cure.
import type { RedisClient } from "../store/create-redis-client";
import { auditTypes } from "../audit/audit-catalog";
import type { MappingHolder, ReloadResult } from "../mapping/mapping-holder";
import type { Core } from "./build-core";

export const RELOAD_LOG = {
  reloaded: "mappings reloaded",
  failed: "mapping reload failed; keeping the last good mappings",
  stepFailed: "a step after the mapping reload failed",
} as const;

export interface ReloadTargets {
  mappings: MappingHolder;
  /** Every core of this process (API and worker): each enqueues, so each needs the new queues. */
  cores: Core[];
  /** The worker core, when this process runs workers. */
  workerCore?: Core;
  /** The connection this process's BullMQ workers use (in `start` not the API's fail-fast client). */
  workerConnection?: RedisClient;
  /** Receives the closer of workers started for new key systems (graceful shutdown). */
  onWorkersStarted?: (close: () => Promise<void>) => void;
}

export async function reloadMappings(targets: ReloadTargets): Promise<ReloadResult> {
  const primary = targets.workerCore ?? targets.cores[0];
  const result = targets.mappings.reload();
  if (!primary) return result;
  const { logger } = primary;
  if (result.ok)
    logger.info({ fingerprint: result.fingerprint, changed: result.changed }, RELOAD_LOG.reloaded);
  else logger.error({ problems: result.problems }, RELOAD_LOG.failed);
  await primary.audit
    .append({
      type: result.ok ? auditTypes.mappingsLoaded : auditTypes.mappingsReloadFailed,
      actor: "system",
      subject: { kind: "mappings", id: result.fingerprint },
      outcome: result.ok ? "success" : "failure",
      data: result.ok ? { changed: result.changed } : { problems: result.problems.length },
    })
    .catch((err) => logger.error({ err }, "audit append failed"));
  if (!result.ok) return result;
  try {
    const declared = [...targets.mappings.current.keySystems.keys()];
    const added = new Map(targets.cores.map((core) => [core, core.queues.add(declared)]));
    const worker = targets.workerCore;
    if (worker) {
      // Loaded only in a worker process, as in run-processes: `serve` stays free of driver code.
      const { afterReloadInWorkers } = require("./reload-workers") as typeof import("./reload-workers");
      await afterReloadInWorkers(
        worker,
        added.get(worker) ?? [],
        targets.onWorkersStarted,
        targets.workerConnection ?? worker.redis,
      );
    }
  } catch (err) {
    logger.error({ err }, RELOAD_LOG.stepFailed);
  }
  return result;
}

// Runs keybridge's long-lived roles in this process — the SCIM API, the reconcile workers, or both, on
// one shared core (start-processes.ts) — and shuts them down gracefully on SIGTERM/SIGINT: stop taking
// work, finish running jobs and requests, close drivers, close Redis. SIGHUP reloads the mapping files (an invalid set keeps the last good one).
import { auditTypes } from "../audit/audit-catalog";
import { loadConfig } from "../config/load-config";
import { createLogger, type Logger } from "../log/logger";
import type { MappingHolder } from "../mapping/mapping-holder";
import type { Core } from "./build-core";
import { ensureRedis } from "./ensure-redis";
import { newMappingHolder, type ProcessRoles, startProcesses } from "./start-processes";

export interface Roles extends ProcessRoles {
  /** Start a private redis-server when nothing answers at REDIS_URL (npm start). */
  ensureRedis: boolean;
}

function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => resolve(signal));
  });
}

function watchReloads(mappings: MappingHolder, core: Core, logger: Logger): void {
  process.on("SIGHUP", () => {
    const result = mappings.reload();
    const type = result.ok ? auditTypes.mappingsLoaded : auditTypes.mappingsReloadFailed;
    if (result.ok)
      logger.info({ fingerprint: result.fingerprint, changed: result.changed }, "mappings reloaded");
    else logger.error({ problems: result.problems }, "mapping reload failed; keeping the last good mappings");
    void core.audit
      .append({
        type,
        actor: "system",
        subject: { kind: "mappings", id: result.fingerprint },
        outcome: result.ok ? "success" : "failure",
        data: result.ok ? { changed: result.changed } : { problems: result.problems.length },
      })
      .catch((err) => logger.error({ err }, "audit append failed"));
  });
}

export async function runProcesses(roles: Roles): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const redisServer = roles.ensureRedis
    ? await ensureRedis(config.redisUrl, config.dataDir, logger)
    : undefined;
  try {
    const mappings = newMappingHolder(config, roles);
    const running = await startProcesses(config, roles, {
      logger,
      mappings,
      print: (text) => process.stdout.write(`${text}\n`),
    });
    try {
      watchReloads(mappings, running.core, logger);
      const signal = await waitForSignal();
      logger.info({ signal }, "shutting down");
      return 0;
    } finally {
      await running.close();
    }
  } finally {
    redisServer?.child?.kill("SIGTERM");
  }
}

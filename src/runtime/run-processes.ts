// Runs keybridge's long-lived roles in this process — the SCIM API, the reconcile workers, or both —
// and shuts them down gracefully on SIGTERM/SIGINT: stop taking work, finish running jobs and requests,
// close drivers, close Redis. SIGHUP reloads the mapping files (an invalid set keeps the last good one).
import { Redis, type RedisOptions } from "ioredis";
import { auditTypes } from "../audit/audit-catalog";
import { loadConfig } from "../config/load-config";
import { createLogger, type Logger } from "../log/logger";
import { MappingHolder } from "../mapping/mapping-holder";
import { loadCheckedMappings } from "./driver-scope-schemas";
import { REQUEST_PATH_REDIS_OPTIONS } from "../store/redis-client-options";
import { bootstrapTenants } from "./bootstrap-tenants";
import { buildCore, type Core } from "./build-core";
import { ensureRedis } from "./ensure-redis";
import { startApi } from "./start-api";

export interface Roles {
  api: boolean;
  workers: boolean;
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

/** A Redis client for a long-lived role; its connection errors are logged once each, not thrown. */
function connectRedis(url: string, logger: Logger, options: RedisOptions): Redis {
  const redis = new Redis(url, options);
  redis.on("error", (err: Error) => logger.warn({ err: err.message }, "redis connection error"));
  return redis;
}

export async function runProcesses(roles: Roles): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const redisServer = roles.ensureRedis
    ? await ensureRedis(config.redisUrl, config.dataDir, logger)
    : undefined;
  // Stops run in reverse order of starting, also when start-up fails half-way.
  const stops: Array<() => Promise<void> | void> = [];
  if (redisServer?.child) stops.push(() => void redisServer.child?.kill("SIGTERM"));
  try {
    const mappings = new MappingHolder(config.mappingsDir, loadCheckedMappings);
    let core: Core | undefined;
    if (roles.workers) {
      const redis = connectRedis(config.redisUrl, logger, { maxRetriesPerRequest: null });
      stops.push(() => redis.disconnect());
      const workerCore = buildCore(config, logger.child({ role: "worker" }), redis, mappings);
      stops.push(() => workerCore.close());
      // Loaded only for the worker role: `keybridge serve` stays free of driver and worker code (memory).
      const { buildDrivers } = require("./build-drivers") as typeof import("./build-drivers");
      const { startWorkers } = require("./start-workers") as typeof import("./start-workers");
      const built = buildDrivers(config, mappings.current, workerCore);
      const workers = await startWorkers(workerCore, built);
      stops.push(() => workers.close());
      core = workerCore;
    }
    if (roles.api) {
      const redis = connectRedis(config.redisUrl, logger, REQUEST_PATH_REDIS_OPTIONS);
      stops.push(() => redis.disconnect());
      await redis.connect();
      const apiCore = buildCore(config, logger.child({ role: "api" }), redis, mappings);
      stops.push(() => apiCore.close());
      const api = await startApi(apiCore);
      stops.push(() => api.close());
      await bootstrapTenants(config, redis, api.port, logger, (text) => process.stdout.write(`${text}\n`));
      core = apiCore;
    }
    if (core) watchReloads(mappings, core, logger);
    const signal = await waitForSignal();
    logger.info({ signal }, "shutting down");
    return 0;
  } finally {
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (err) {
        logger.error({ err }, "shutdown step failed");
      }
    }
  }
}

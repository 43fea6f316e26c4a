// Runs keybridge's long-lived roles in this process — the SCIM API, the reconcile workers, or both —
// and shuts them down gracefully on SIGTERM/SIGINT: stop taking work, finish running jobs and requests,
// close drivers, close Redis. SIGHUP reloads the mapping files (an invalid set keeps the last good one).
import { Redis, type RedisOptions } from "ioredis";
import { loadConfig } from "../config/load-config";
import { createLogger, type Logger } from "../log/logger";
import { MappingHolder } from "../mapping/mapping-holder";
import { connectRedisOnce } from "../store/connect-redis-once";
import { REQUEST_PATH_REDIS_OPTIONS } from "../store/redis-client-options";
import { bootstrapTenants } from "./bootstrap-tenants";
import { buildCore, type Core } from "./build-core";
import { ensureRedis } from "./ensure-redis";
import { type ReloadTargets, reloadMappings } from "./reload-mappings";
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

function watchReloads(targets: ReloadTargets): void {
  process.on("SIGHUP", () => void reloadMappings(targets));
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
  // A wrong REDIS_URL stops start-up with one line naming it, instead of retrying (and logging) for ever.
  if (!redisServer) (await connectRedisOnce(config.redisUrl)).disconnect();
  // Stops run in reverse order of starting, also when start-up fails half-way.
  const stops: Array<() => Promise<void> | void> = [];
  if (redisServer?.child) stops.push(() => void redisServer.child?.kill("SIGTERM"));
  try {
    const mappings = new MappingHolder(config.mappingsDir);
    const cores: Core[] = [];
    let workerCore: Core | undefined;
    if (roles.workers) {
      const redis = connectRedis(config.redisUrl, logger, { maxRetriesPerRequest: null });
      stops.push(() => redis.disconnect());
      const core = buildCore(config, logger.child({ role: "worker" }), redis, mappings);
      workerCore = core;
      stops.push(() => core.close());
      // Loaded only for the worker role: `keybridge serve` stays free of driver and worker code (memory).
      const { buildDrivers } = require("./build-drivers") as typeof import("./build-drivers");
      const { startWorkers } = require("./start-workers") as typeof import("./start-workers");
      const built = buildDrivers(config, mappings.current, core);
      const workers = await startWorkers(core, built);
      stops.push(() => workers.close());
      cores.push(core);
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
      cores.push(apiCore);
    }
    watchReloads({ mappings, cores, workerCore, onWorkersStarted: (close) => stops.push(close) });
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

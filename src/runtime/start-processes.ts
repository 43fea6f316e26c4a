// The programmatic entry to keybridge's long-lived roles: from a validated config to a running SCIM API
// and/or reconcile workers on ONE shared core. `runProcesses` (the CLI) wraps it with signals; the e2e
// tests and the benches call it directly, so what they exercise is what `keybridge start` runs.
import type { RedisOptions } from "ioredis";
import type { Config } from "../config/config-schema";
import type { Clock, KeySystemDriver } from "../drivers/key-system-driver";
import type { Logger } from "../log/logger";
import { MappingHolder } from "../mapping/mapping-holder";
import { createRedisClient, type RedisClient } from "../store/create-redis-client";
import { REQUEST_PATH_REDIS_OPTIONS } from "../store/redis-client-options";
import { bootstrapTenants } from "./bootstrap-tenants";
import { buildCore, type Core } from "./build-core";
import type { BuiltDrivers } from "./build-drivers";
import { loadCheckedMappings } from "./driver-scope-schemas";
import { reloadMappings } from "./reload-mappings";
import { startApi } from "./start-api";
import type { RunningWorkers } from "./start-workers";

export interface ProcessRoles {
  api: boolean;
  workers: boolean;
}

export interface StartOptions {
  logger: Logger;
  clock?: Clock;
  /** Mappings already loaded (a reload-aware holder); default: loaded from config.mappingsDir. */
  mappings?: MappingHolder;
  /**
   * Wraps a built driver before the workers use it (benches measure when a vendor call lands). Every
   * driver is still built from the config, exactly as in production.
   */
  wrapDriver?: (system: string, driver: KeySystemDriver) => KeySystemDriver;
  /** Where the first start's demo token banner goes (runProcesses: stdout). Default: dropped. */
  print?: (text: string) => void;
  /** Create the demo tenant's first token (default true; in an API cluster only its first process). */
  bootstrap?: boolean;
}

export interface RunningProcesses {
  /** The SCIM API's port, when the api role runs. */
  port?: number;
  /** The one core the API and the workers share. */
  core: Core;
  /** The key systems' drivers, when the workers role runs. */
  drivers?: BuiltDrivers;
  /** The Entra Graph delta pollers, when the workers role runs. */
  entra?: RunningWorkers["entra"];
  /** The connection the BullMQ workers use (never gives up on a command), when the workers role runs. */
  workerConnection?: RedisClient;
  /** Stops in reverse order of starting: API, workers (and drivers), core, Redis connections. */
  close(): Promise<void>;
}

/** A Redis client for a long-lived role; its connection errors are logged once each, not thrown. */
function connectRedis(config: Config, logger: Logger, options: RedisOptions): RedisClient {
  const redis = createRedisClient(config, options);
  redis.on("error", (err: Error) => logger.warn({ err: err.message }, "redis connection error"));
  return redis;
}

async function runStops(stops: Array<() => Promise<void> | void>, logger: Logger): Promise<void> {
  for (const stop of [...stops].reverse()) {
    try {
      await stop();
    } catch (err) {
      logger.error({ err }, "shutdown step failed");
    }
  }
}

/**
 * The mapping set a process runs on. Workers also refuse scheduled profiles on systems whose driver
 * cannot enforce schedules; build-drivers is loaded only for the worker role (`serve` stays lean).
 */
export function newMappingHolder(config: Config, roles: ProcessRoles): MappingHolder {
  const load = roles.workers
    ? (require("./build-drivers") as typeof import("./build-drivers")).loadMappingsForDrivers
    : loadCheckedMappings;
  return new MappingHolder(config.mappingsDir, load);
}

export async function startProcesses(
  config: Config,
  roles: ProcessRoles,
  options: StartOptions,
): Promise<RunningProcesses> {
  const { logger } = options;
  const stops: Array<() => Promise<void> | void> = [];
  let workersUp = false; // /readyz: the workers of this process run (set once started, cleared on close)
  try {
    const mappings = options.mappings ?? newMappingHolder(config, roles);
    // With the API in the process its client fails fast (an IdP gets a prompt 503, never a hung
    // request); a worker-only process waits for Redis instead, like BullMQ's own connections.
    // A worker-only process auto-pipelines too: its reconcile runs, many at once, each issue a few
    // reads and writes in the same event-loop turn, which then share one socket write (issue #13
    // item 2: socket writes were the largest CPU item of a converged reconcile).
    const redis = roles.api
      ? connectRedis(config, logger, REQUEST_PATH_REDIS_OPTIONS)
      : connectRedis(config, logger, { maxRetriesPerRequest: null, enableAutoPipelining: true });
    stops.push(() => redis.disconnect());
    if (roles.api) await redis.connect();
    const role = roles.api && roles.workers ? "all" : roles.api ? "api" : "worker";
    const core = buildCore(config, logger.child({ role }), redis, mappings, { clock: options.clock });
    stops.push(() => core.close());
    const running: RunningProcesses = { core, close: () => runStops(stops, logger) };
    if (roles.workers) {
      // Loaded only for the worker role: `keybridge serve` stays free of driver and worker code (memory).
      const { buildDrivers } = require("./build-drivers") as typeof import("./build-drivers");
      const { startWorkers } = require("./start-workers") as typeof import("./start-workers");
      const built = buildDrivers(config, mappings.current, core);
      if (options.wrapDriver)
        for (const [system, driver] of built.drivers)
          built.drivers.set(system, options.wrapDriver(system, driver));
      // BullMQ workers need a connection that never gives up on a command (maxRetriesPerRequest: null),
      // and one of their own without auto-pipelining (build-core.ts: BullMQ's scripts would be copied
      // into every auto-pipeline of the core's client).
      const connection = connectRedis(config, logger, { maxRetriesPerRequest: null });
      stops.push(() => connection.disconnect());
      const workers = await startWorkers(core, built, connection);
      workersUp = true;
      stops.push(() => {
        workersUp = false;
        return workers.close();
      });
      running.drivers = built;
      running.entra = workers.entra;
      running.workerConnection = connection;
    }
    if (roles.api) {
      const workersRunning = roles.workers ? () => workersUp : undefined;
      // The admin API reloads mappings only where it shares the process with the workers (as SIGHUP
      // does); workers a reload starts for new key systems stop with the rest.
      const reload = roles.workers
        ? () =>
            reloadMappings({
              mappings,
              cores: [core],
              workerCore: core,
              workerConnection: running.workerConnection,
              onWorkersStarted: (close) => stops.push(close),
            })
        : undefined;
      const api = await startApi(core, { moveAuditOutbox: !roles.workers, workersRunning, reload });
      stops.push(() => api.close());
      running.port = api.port;
      if (options.bootstrap !== false)
        await bootstrapTenants(config, redis, api.port, logger, options.print ?? (() => {}));
    }
    return running;
  } catch (err) {
    await runStops(stops, logger);
    throw err;
  }
}

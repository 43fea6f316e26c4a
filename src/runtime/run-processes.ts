// Runs keybridge's long-lived roles in this process — the SCIM API, the reconcile workers, or both, on
// one shared core (start-processes.ts) — and shuts them down gracefully on SIGTERM/SIGINT: stop taking
// work, finish running jobs and requests, close drivers, close Redis. SIGHUP reloads the mapping files
// (an invalid set keeps the last good one) and starts what newly declared key systems need.
import { loadConfig } from "../config/load-config";
import { createLogger } from "../log/logger";
import { connectRedisOnce } from "../store/connect-redis-once";
import { ensureRedis } from "./ensure-redis";
import { type ReloadTargets, reloadMappings } from "./reload-mappings";
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

function watchReloads(targets: ReloadTargets): void {
  process.on("SIGHUP", () => void reloadMappings(targets));
}

export async function runProcesses(roles: Roles): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const redisServer = roles.ensureRedis
    ? await ensureRedis(config.redisUrl, config.dataDir, logger)
    : undefined;
  // A wrong REDIS_URL stops start-up with one line naming it, instead of retrying (and logging) for ever.
  if (!redisServer) (await connectRedisOnce(config.redisUrl)).disconnect();
  try {
    const mappings = newMappingHolder(config, roles);
    const running = await startProcesses(config, roles, {
      logger,
      mappings,
      print: (text) =>
        process.stdout.write(`${text}
`),
    });
    // Workers started by a reload for newly declared key systems stop first.
    const reloadStops: Array<() => Promise<void>> = [];
    try {
      watchReloads({
        mappings,
        cores: [running.core],
        workerCore: roles.workers ? running.core : undefined,
        workerConnection: running.workerConnection,
        onWorkersStarted: (close) => reloadStops.push(close),
      });
      const signal = await waitForSignal();
      logger.info({ signal }, "shutting down");
      return 0;
    } finally {
      for (const stop of reloadStops.reverse())
        await stop().catch((err) => logger.error({ err }, "shutdown step failed"));
      await running.close();
    }
  } finally {
    redisServer?.child?.kill("SIGTERM");
  }
}

// Runs keybridge's long-lived roles and shuts them down gracefully on SIGTERM/SIGINT: stop taking work,
// finish running jobs and requests, close drivers, close Redis. `keybridge start` runs the reconcile
// workers in a supervised child process (spawn-roles.ts) so the API never waits for them; with
// apiProcesses > 1 the API runs in a node:cluster of processes. SIGHUP reloads the mapping files (an
// invalid set keeps the last good one) here and in every child.
import type { Config } from "../config/config-schema";
import { loadConfig } from "../config/load-config";
import { createLogger, type Logger } from "../log/logger";
import { connectRedisOnce } from "../store/connect-redis-once";
import { ensureRedis } from "./ensure-redis";
import { type ReloadTargets, reloadMappings } from "./reload-mappings";
import { forkApiProcesses, forkWorkerProcess, isFirstApiProcess, runsApiCluster } from "./spawn-roles";
import { newMappingHolder, type ProcessRoles, startProcesses } from "./start-processes";
import type { Supervisor } from "./supervise-child";

export interface Roles extends ProcessRoles {
  /** Start a private redis-server when nothing answers at REDIS_URL (npm start). */
  ensureRedis: boolean;
}

/**
 * SIGTERM/SIGINT, or — in a child forked by `start` — the parent going away (its IPC channel closes),
 * so a worker process is never left running on its own after its parent was killed.
 */
function waitForSignal(): Promise<string> {
  return new Promise((resolve) => {
    // `on`, not `once`: a second signal (Ctrl-C reaches a child and its parent, which also stops it)
    // must not kill a process that is already shutting down gracefully.
    for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => resolve(signal));
    if (!process.channel) return;
    // The IPC channel must not keep this process alive once its roles have stopped.
    process.channel.unref();
    process.once("disconnect", () => resolve("parent exited"));
  });
}

function watchReloads(targets: ReloadTargets | undefined, children: Supervisor[]): void {
  process.on("SIGHUP", () => {
    for (const child of children) child.signal("SIGHUP");
    if (targets) void reloadMappings(targets);
  });
}

async function stopAll(children: Supervisor[], logger: Logger): Promise<void> {
  await Promise.all(
    children.map((c) => c.stop().catch((err) => logger.error({ err }, "shutdown step failed"))),
  );
}

export async function runProcesses(roles: Roles): Promise<number> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  // A private redis-server is for a single Redis only; a cluster or a Sentinel set is the operator's.
  const redisServer =
    roles.ensureRedis && !config.redis.clusterNodes && config.redis.sentinels.length === 0
      ? await ensureRedis(config.redisUrl, config.dataDir, logger)
      : undefined;
  // A wrong REDIS_URL stops start-up with one line naming it, instead of retrying (and logging) for ever.
  if (!redisServer) (await connectRedisOnce(config)).disconnect();
  const children: Supervisor[] = [];
  try {
    // `start`: the workers leave this process; the API (or the API cluster) stays.
    const split = roles.api && roles.workers;
    if (split) children.push(forkWorkerProcess(logger));
    if (roles.api && runsApiCluster(config.apiProcesses)) {
      children.push(...forkApiProcesses(config.apiProcesses, logger));
      watchReloads(undefined, children);
      logger.info({ signal: await waitForSignal() }, "shutting down");
      return 0;
    }
    return await runHere(config, { api: roles.api, workers: roles.workers && !split }, children, logger);
  } finally {
    await stopAll(children, logger);
    redisServer?.child?.kill("SIGTERM");
  }
}

/** Runs the roles left to this process until a signal; children are told about reloads. */
async function runHere(config: Config, roles: ProcessRoles, children: Supervisor[], logger: Logger) {
  const mappings = newMappingHolder(config, roles);
  const running = await startProcesses(config, roles, {
    logger,
    mappings,
    bootstrap: isFirstApiProcess(),
    print: (text) => process.stdout.write(`${text}\n`),
  });
  // Workers started by a reload for newly declared key systems stop first.
  const reloadStops: Array<() => Promise<void>> = [];
  try {
    watchReloads(
      {
        mappings,
        cores: [running.core],
        workerCore: roles.workers ? running.core : undefined,
        workerConnection: running.workerConnection,
        onWorkersStarted: (close) => reloadStops.push(close),
      },
      children,
    );
    logger.info({ signal: await waitForSignal() }, "shutting down");
    return 0;
  } finally {
    for (const stop of reloadStops.reverse())
      await stop().catch((err) => logger.error({ err }, "shutdown step failed"));
    await running.close();
  }
}

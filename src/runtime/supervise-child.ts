// Keeps one child process of `keybridge start` running (the reconcile workers, or one API process of a
// cluster): restarts it with a growing delay when it dies, forwards SIGHUP to it, and stops it on
// shutdown — so a crashed or killed worker process costs a few seconds of reconcile, never the API.
import type { Logger } from "../log/logger";

/** What the supervisor needs of a child: a ChildProcess and a cluster Worker's process both fit. */
export interface SupervisedChild {
  pid?: number;
  exitCode: number | null;
  signalCode: NodeJS.Signals | null;
  kill(signal?: NodeJS.Signals): boolean;
  once(event: "exit", listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
}

export interface SuperviseOptions {
  /** Names the child in logs: "workers", "api". */
  name: string;
  spawn: () => SupervisedChild;
  logger: Logger;
  /** First restart delay (default 500 ms); doubles per quick death up to maxDelayMs (default 15 s). */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** A child that lived this long resets the delay to minDelayMs (default 30 s). */
  healthyAfterMs?: number;
}

export interface Supervisor {
  /** The running child's pid (undefined between a death and its restart). */
  pid(): number | undefined;
  signal(signal: NodeJS.Signals): void;
  /** Stops restarting, sends SIGTERM and resolves when the child has exited. */
  stop(): Promise<void>;
}

export const SUPERVISOR_LOG = {
  started: "child process started",
  died: "child process died; restarting it",
  stopped: "child process stopped",
} as const;

/** The next restart delay after a child that lived `livedMs`. Pure. */
export function nextRestartDelay(
  previousMs: number,
  livedMs: number,
  options: { minDelayMs: number; maxDelayMs: number; healthyAfterMs: number },
): number {
  if (livedMs >= options.healthyAfterMs || previousMs === 0) return options.minDelayMs;
  return Math.min(options.maxDelayMs, previousMs * 2);
}

export function superviseChild(options: SuperviseOptions): Supervisor {
  const limits = {
    minDelayMs: options.minDelayMs ?? 500,
    maxDelayMs: options.maxDelayMs ?? 15_000,
    healthyAfterMs: options.healthyAfterMs ?? 30_000,
  };
  const log = options.logger.child({ child: options.name });
  let child: SupervisedChild | undefined;
  let exited: Promise<void> = Promise.resolve();
  let stopping = false;
  let delay = 0;
  let timer: NodeJS.Timeout | undefined;

  const start = () => {
    timer = undefined;
    if (stopping) return;
    const startedAt = Date.now();
    const current = options.spawn();
    child = current;
    log.info({ childPid: current.pid }, SUPERVISOR_LOG.started);
    exited = new Promise((resolve) => {
      current.once("exit", (code, signal) => {
        child = undefined;
        resolve();
        if (stopping) return log.info({ childPid: current.pid, code, signal }, SUPERVISOR_LOG.stopped);
        // The restart waits at least minDelayMs: a Ctrl-C reaches the whole process group, and this
        // process's own signal handler must get to set `stopping` before a restart would begin.
        delay = nextRestartDelay(delay, Date.now() - startedAt, limits);
        log.error({ childPid: current.pid, code, signal, restartInMs: delay }, SUPERVISOR_LOG.died);
        timer = setTimeout(start, delay);
      });
    });
  };
  start();

  return {
    pid: () => child?.pid,
    signal(signal) {
      child?.kill(signal);
    },
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

// How `keybridge start` splits into processes: the reconcile workers in a child process of their own
// (`keybridge worker`), and with apiProcesses > 1 the SCIM API in N node:cluster processes sharing one
// port (`keybridge serve`), each kept alive by superviseChild. Every child runs the same CLI with the
// same environment and config, and writes its logs to the same stdout/stderr as this process.
//
// Why a process and not a worker_thread: a thread shares the process — a crash, a native fault or an
// out-of-memory in driver code takes the API down with it, and `process.exit` anywhere ends both — while
// a process is what `keybridge worker` already is in a split deployment, so `start` runs the same,
// tested role. Memory costs one Node runtime more (~60 MB RSS); CPU for request handling is the same
// either way, since what starved the API was sharing one event loop, which both remedies end.
import cluster from "node:cluster";
import { fork } from "node:child_process";
import { join } from "node:path";
import type { Logger } from "../log/logger";
import { type Supervisor, superviseChild } from "./supervise-child";

const KEYBRIDGE_BIN = join(__dirname, "..", "..", "bin", "keybridge.js");

/** The reconcile workers as `keybridge worker` in a supervised child process. */
export function forkWorkerProcess(logger: Logger): Supervisor {
  return superviseChild({
    name: "workers",
    logger,
    // execArgv is inherited (--disable-proto=throw); stdio too, so logs go where this process's go.
    spawn: () => fork(KEYBRIDGE_BIN, ["worker"], { stdio: "inherit" }),
  });
}

/** `count` SCIM API processes (`keybridge serve`) on one port; the kernel spreads the connections. */
export function forkApiProcesses(count: number, logger: Logger): Supervisor[] {
  cluster.setupPrimary({ exec: KEYBRIDGE_BIN, args: ["serve"] });
  return Array.from({ length: count }, (_, i) =>
    superviseChild({ name: `api-${i + 1}`, logger, spawn: () => cluster.fork().process }),
  );
}

/** In an API cluster only the first process creates the demo token (one banner, one token). */
export function isFirstApiProcess(): boolean {
  return !cluster.isWorker || cluster.worker?.id === 1;
}

/** A cluster primary runs no role itself; its children (isWorker) run theirs. */
export function runsApiCluster(apiProcesses: number): boolean {
  return apiProcesses > 1 && cluster.isPrimary;
}

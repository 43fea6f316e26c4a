// Starts a private redis-server on a free loopback port for one test file; never touches another Redis.
// With KEYBRIDGE_TEST_REDIS=cluster it starts a private 3-master Redis Cluster instead
// (test-redis-cluster.ts), so a suite written against TestRedis.config runs on both topologies.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { createRedisClient, type RedisClient } from "../../src/store/create-redis-client";

/** Where a test's Redis is, as the config says it (spread it into a raw config or e2eConfig). */
export interface TestRedisConfig {
  redisUrl: string;
  redis?: { clusterNodes: string[] };
}

export interface TestRedis {
  /** A single Redis: its URL; a cluster: its first node's (for credentials only, not for commands). */
  url: string;
  config: TestRedisConfig;
  /** True when this is a Redis Cluster (KEYBRIDGE_TEST_REDIS=cluster). */
  cluster: boolean;
  port: number;
  dir: string;
  /** A fresh client; the caller closes it (or calls closeClients). */
  client(): RedisClient;
  /** Flushes every key, for isolation between tests in one file. */
  flush(): Promise<void>;
  /** Stops the server (SIGTERM) and starts it again on the same port and data dir. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  /** A single server: sends its process a signal (a failover test's SIGKILL, SIGSTOP, SIGCONT). */
  signal?(signal: NodeJS.Signals): void;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

/** Pings over a raw socket: an ioredis probe would leave connect timers behind and keep jest alive. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on("error", () => done(false));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (d) => done(d.toString().startsWith("+PONG")));
  });
}

async function waitReady(port: number, proc: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode}`);
    if (await ping(port)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`redis-server on ${port} did not start within 10 s`);
}

export interface TestRedisOptions {
  appendOnly?: boolean;
  /** More redis-server arguments (the cluster helper's --cluster-enabled…). */
  extraArgs?: string[];
}

/** The suite's Redis: a single server, or a 3-master cluster when KEYBRIDGE_TEST_REDIS=cluster. */
export async function startTestRedis(options: TestRedisOptions = {}): Promise<TestRedis> {
  if (process.env.KEYBRIDGE_TEST_REDIS === "cluster") {
    const { startTestRedisCluster } =
      require("./test-redis-cluster") as typeof import("./test-redis-cluster");
    return startTestRedisCluster();
  }
  return startSingleTestRedis(options);
}

export async function startSingleTestRedis(options: TestRedisOptions = {}): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "kb-redis-"));
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--dir",
    dir,
    "--appendonly",
    options.appendOnly ? "yes" : "no",
    "--appendfsync",
    "always",
    "--maxmemory-policy",
    "noeviction",
    "--daemonize",
    "no",
    "--loglevel",
    "warning",
    ...(options.extraArgs ?? []),
  ];
  let proc: ChildProcess;
  const launch = async () => {
    proc = spawn("redis-server", args, { stdio: "ignore" });
    await waitReady(port, proc);
  };
  const kill = () =>
    new Promise<void>((resolve) => {
      // A server killed by a signal (signal()) has no exit code, only its signal.
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once("exit", () => resolve());
      proc.kill("SIGTERM");
    });
  const clients: RedisClient[] = [];
  await launch();
  const url = `redis://127.0.0.1:${port}`;
  return {
    url,
    config: { redisUrl: url },
    cluster: false,
    port,
    dir,
    client() {
      const c = createRedisClient({ redisUrl: url }, { maxRetriesPerRequest: null });
      clients.push(c);
      return c;
    },
    async flush() {
      const c = new Redis(url);
      await c.flushall();
      c.disconnect();
    },
    async restart() {
      await kill();
      await launch();
    },
    async stop() {
      for (const c of clients) c.disconnect();
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
    signal(signal) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    },
  };
}

// Starts a private redis-server on a free loopback port for one test file; never touches another Redis.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";

export interface TestRedis {
  url: string;
  port: number;
  dir: string;
  /** A fresh client; the caller closes it (or calls closeClients). */
  client(): Redis;
  /** Flushes every key, for isolation between tests in one file. */
  flush(): Promise<void>;
  /** Stops the server (SIGTERM) and starts it again on the same port and data dir. */
  restart(): Promise<void>;
  stop(): Promise<void>;
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

export async function startTestRedis(options: { appendOnly?: boolean } = {}): Promise<TestRedis> {
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
  ];
  let proc: ChildProcess;
  const launch = async () => {
    proc = spawn("redis-server", args, { stdio: "ignore" });
    await waitReady(port, proc);
  };
  const kill = () =>
    new Promise<void>((resolve) => {
      if (proc.exitCode !== null) return resolve();
      proc.once("exit", () => resolve());
      proc.kill("SIGTERM");
    });
  const clients: Redis[] = [];
  await launch();
  const url = `redis://127.0.0.1:${port}`;
  return {
    url,
    port,
    dir,
    client() {
      const c = new Redis(url, { maxRetriesPerRequest: null });
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
  };
}

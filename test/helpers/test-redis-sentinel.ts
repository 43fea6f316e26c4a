// Starts a private Redis Sentinel set for one test file: a master, two replicas and three sentinels on
// free loopback ports in a temp dir, with short timeouts so a failover takes a few seconds.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./test-redis";

export const SENTINEL_MASTER_NAME = "mymaster";

export interface TestSentinelSet {
  /** The sentinels as `host:port`, for `redis.sentinels`. */
  sentinels: string[];
  name: string;
  /** The port of the master the sentinels report now. */
  masterPort(): Promise<number>;
  /** SIGKILLs the current master (no shutdown, no last sync) and returns its port. */
  killMaster(): Promise<number>;
  /** Waits until the sentinels report a master other than `oldPort` and it answers as master. */
  waitForNewMaster(oldPort: number, timeoutMs?: number): Promise<number>;
  /**
   * SIGSTOPs every replica of the current master: it keeps answering writes, the replicas fall behind
   * (as over a slow link). `resumeReplicas` SIGCONTs them.
   */
  pauseReplicas(): Promise<void>;
  resumeReplicas(): void;
  /** Sends one command to a Redis or sentinel on `port` and returns its raw RESP reply. */
  command(port: number, ...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** One command over a raw socket, RESP-encoded: no ioredis client (and its timers) in the harness. */
function rawCommand(port: number, args: string[], timeoutMs = 1_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let reply = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reply ? resolve(reply) : reject(new Error(`no reply from ${port}`));
    }, timeoutMs);
    socket.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on("connect", () =>
      socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`),
    );
    socket.on("data", (d) => {
      reply += d.toString();
      // Replies here are small; a complete one ends with CRLF and has all its bulk lines.
      if (isComplete(reply)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(reply);
      }
    });
  });
}

function isComplete(reply: string): boolean {
  if (!reply.endsWith("\r\n")) return false;
  if (!reply.startsWith("*")) return true;
  const count = Number(reply.slice(1, reply.indexOf("\r\n")));
  return reply.split("\r\n").length - 2 >= count * 2;
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function redisArgs(port: number, dir: string, masterPort?: number): string[] {
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", ""];
  args.push("--appendonly", "no", "--maxmemory-policy", "noeviction", "--loglevel", "warning");
  args.push("--dbfilename", `dump-${port}.rdb`);
  if (masterPort !== undefined) args.push("--replicaof", "127.0.0.1", String(masterPort));
  return args;
}

function sentinelConf(port: number, dir: string, masterPort: number): string {
  return [
    `port ${port}`,
    "bind 127.0.0.1",
    `dir ${dir}`,
    `sentinel monitor ${SENTINEL_MASTER_NAME} 127.0.0.1 ${masterPort} 2`,
    `sentinel down-after-milliseconds ${SENTINEL_MASTER_NAME} 1000`,
    `sentinel failover-timeout ${SENTINEL_MASTER_NAME} 3000`,
    `sentinel parallel-syncs ${SENTINEL_MASTER_NAME} 1`,
    "",
  ].join("\n");
}

export async function startTestSentinels(): Promise<TestSentinelSet> {
  const dir = mkdtempSync(join(tmpdir(), "kb-sentinel-"));
  const procs = new Map<number, ChildProcess>();
  const launch = (port: number, args: string[]) => {
    procs.set(port, spawn("redis-server", args, { stdio: "ignore" }));
  };
  const answers = (port: number) =>
    waitFor(`redis on ${port} did not answer`, 10_000, async () =>
      (await rawCommand(port, ["PING"])).startsWith("+PONG") ? true : undefined,
    );
  const masterPort = await freePort();
  launch(masterPort, redisArgs(masterPort, dir));
  await answers(masterPort);
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    launch(port, redisArgs(port, dir, masterPort));
    await answers(port);
  }
  const sentinelPorts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    const conf = join(dir, `sentinel-${port}.conf`);
    writeFileSync(conf, sentinelConf(port, dir, masterPort));
    launch(port, [conf, "--sentinel"]);
    sentinelPorts.push(port);
  }
  for (const port of sentinelPorts) await answers(port);
  const reportedMaster = async (): Promise<number> => {
    const reply = await rawCommand(sentinelPorts[0]!, [
      "SENTINEL",
      "get-master-addr-by-name",
      SENTINEL_MASTER_NAME,
    ]);
    return Number(reply.split("\r\n")[4]);
  };
  const isMaster = async (port: number) =>
    (await rawCommand(port, ["ROLE"])).includes("master") ? port : undefined;
  // Replicas in sync and every sentinel aware of both replicas and the other sentinels.
  await waitFor("the replicas did not sync", 15_000, async () => {
    const info = await rawCommand(masterPort, ["INFO", "replication"]);
    return (info.match(/state=online/g) ?? []).length === 2 ? true : undefined;
  });
  await waitFor("the sentinels did not find each other", 15_000, async () => {
    for (const port of sentinelPorts) {
      const reply = await rawCommand(port, ["SENTINEL", "master", SENTINEL_MASTER_NAME], 2_000);
      const fields = reply.split("\r\n");
      const value = (name: string) => fields[fields.indexOf(name) + 2];
      if (value("num-slaves") !== "2" || value("num-other-sentinels") !== "2") return undefined;
    }
    return true;
  });
  const paused: ChildProcess[] = [];
  const stopOne = (port: number, signal: NodeJS.Signals) =>
    new Promise<void>((resolve) => {
      const proc = procs.get(port);
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return resolve();
      proc.once("exit", () => resolve());
      proc.kill(signal);
    });
  return {
    sentinels: sentinelPorts.map((p) => `127.0.0.1:${p}`),
    name: SENTINEL_MASTER_NAME,
    masterPort: reportedMaster,
    async killMaster() {
      const port = await reportedMaster();
      await stopOne(port, "SIGKILL");
      return port;
    },
    waitForNewMaster(oldPort, timeoutMs = 20_000) {
      return waitFor("no new master was promoted", timeoutMs, async () => {
        const port = await reportedMaster();
        return port !== oldPort ? isMaster(port) : undefined;
      });
    },
    async pauseReplicas() {
      const master = await reportedMaster();
      for (const [port, proc] of procs)
        if (port !== master && !sentinelPorts.includes(port)) {
          proc.kill("SIGSTOP");
          paused.push(proc);
        }
    },
    resumeReplicas() {
      for (const proc of paused.splice(0)) proc.kill("SIGCONT");
    },
    command: (port, ...args) => rawCommand(port, args),
    async stop() {
      await Promise.all([...procs.keys()].map((port) => stopOne(port, "SIGKILL")));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

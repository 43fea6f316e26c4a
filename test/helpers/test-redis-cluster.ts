// Starts a private Redis Cluster on free loopback ports (redis-server --cluster-enabled, then
// `redis-cli --cluster create`) for one test file or bench, and stops it. By default 3 masters and no
// replicas: the suites check that keybridge's keys and scripts work across slots and nodes. With
// `replicas: 1` each master gets a replica and the cluster fails over on its own when a master dies
// (cluster-node-timeout), for the failover test.
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { createRedisClient, type RedisClient } from "../../src/store/create-redis-client";
import { startSingleTestRedis, type TestRedis } from "./test-redis";

const run = promisify(execFile);
const MASTERS = 3;

export interface TestRedisClusterOptions {
  /** Replicas per master (0 or 1; default 0). */
  replicas?: number;
  /** cluster-node-timeout: how long a master may be unreachable before its replica takes over (default 2000). */
  nodeTimeoutMs?: number;
}

/** One node as `CLUSTER NODES` reports it. */
export interface ClusterNodeInfo {
  id: string;
  port: number;
  role: "master" | "replica";
  /** A replica's master id. */
  masterId?: string;
  /** Flagged fail / pfail by the node asked. */
  failing: boolean;
  /** A master's slot ranges [from, to]. */
  slots: Array<[number, number]>;
}

export interface TestRedisCluster extends TestRedis {
  /** The node ports, masters and replicas. */
  ports: number[];
  /** The cluster as a live node sees it now. */
  topology(): Promise<ClusterNodeInfo[]>;
  /** The port of the master serving a slot now, as a live node sees it (undefined while uncovered). */
  masterPortOf(slot: number): Promise<number | undefined>;
  /** The replicas' ports of the master on `port`. */
  replicaPortsOf(port: number): Promise<number[]>;
  /** Sends one node's process a signal (SIGKILL a master, SIGSTOP / SIGCONT a replica). */
  signalNode(port: number, signal: NodeJS.Signals): void;
  /**
   * Starts a killed node again on its port and data dir (its nodes.conf keeps its identity): a master
   * that lost its slots in a failover rejoins as a replica of the node that took them.
   */
  restartNode(port: number): Promise<void>;
  /** Waits until the master on `port` has `replicas` replicas attached and in sync. */
  waitForReplicas(port: number, replicas: number, timeoutMs?: number): Promise<void>;
  /** One command on one node (not through a cluster client); a replica answers reads of its slots. */
  command(port: number, ...args: string[]): Promise<unknown>;
  /** Waits until a node other than `oldPort` serves `slot` as master and every live node says cluster_state:ok. */
  waitForNewMaster(slot: number, oldPort: number, timeoutMs?: number): Promise<number>;
}

/**
 * One command to one node over a throw-away connection that never retries. `readOnly`: READONLY first,
 * so a replica answers reads of its master's slots instead of redirecting them (MOVED).
 */
async function nodeCommand(port: number, args: string[], readOnly = false): Promise<unknown> {
  const probe = new Redis(port, "127.0.0.1", {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1_000,
    commandTimeout: 1_000,
  });
  try {
    await probe.connect();
    if (readOnly) await probe.call("READONLY");
    const [name, ...rest] = args;
    return await probe.call(name as string, ...rest);
  } finally {
    probe.disconnect();
  }
}

/** `CLUSTER NODES` lines: `<id> <ip:port@cport> <flags> <master> <ping> <pong> <epoch> <link> <slot>…`. */
export function parseClusterNodes(text: string): ClusterNodeInfo[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const [id = "", address = "", flags = "", master = "-", , , , , ...slotFields] = line.split(" ");
      const port = Number(address.split("@")[0]?.split(":").at(-1));
      const slots = slotFields
        .filter((f) => !f.startsWith("["))
        .map((f): [number, number] => {
          const [from, to] = f.split("-").map(Number);
          return [from as number, (to ?? from) as number];
        });
      const role = flags.includes("master") ? "master" : "replica";
      return {
        id,
        port,
        role,
        ...(master !== "-" ? { masterId: master } : {}),
        failing: /\bfail\??\b/.test(flags),
        slots,
      };
    });
}

async function clusterStateOk(port: number, nodes: number): Promise<boolean> {
  try {
    const info = String(await nodeCommand(port, ["CLUSTER", "INFO"]));
    // Every node must know all slots are served and see all nodes, or a client may get CLUSTERDOWN.
    return /cluster_state:ok/.test(info) && new RegExp(`cluster_known_nodes:${nodes}\\b`).test(info);
  } catch {
    return false;
  }
}

/** A master's replicas are attached and caught up (so WAIT can be answered from the first write). */
async function replicasOnline(port: number, replicas: number): Promise<boolean> {
  try {
    const info = String(await nodeCommand(port, ["INFO", "replication"]));
    return (info.match(/state=online/g) ?? []).length >= replicas;
  } catch {
    return false;
  }
}

async function until(what: string, timeoutMs: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} within ${timeoutMs / 1000} s`);
}

export async function startTestRedisCluster(
  options: TestRedisClusterOptions = {},
): Promise<TestRedisCluster> {
  const replicas = options.replicas ?? 0;
  const count = MASTERS * (1 + replicas);
  const nodes: TestRedis[] = [];
  const ports = () => nodes.map((n) => n.port);
  const topology = async (): Promise<ClusterNodeInfo[]> => {
    // Ask the first node that answers (a killed master does not).
    for (const port of ports()) {
      try {
        return parseClusterNodes(String(await nodeCommand(port, ["CLUSTER", "NODES"])));
      } catch {}
    }
    throw new Error("no cluster node answers");
  };
  try {
    for (let i = 0; i < count; i++) {
      const node = await startSingleTestRedis({
        extraArgs: [
          "--cluster-enabled",
          "yes",
          "--cluster-config-file",
          "nodes.conf",
          "--cluster-node-timeout",
          String(options.nodeTimeoutMs ?? 2_000),
        ],
      });
      nodes.push(node);
    }
    const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
    await run(
      "redis-cli",
      ["--cluster", "create", ...addresses, "--cluster-replicas", String(replicas), "--cluster-yes"],
      { timeout: 20_000 },
    );
    await until("Redis Cluster did not reach cluster_state:ok", 20_000, async () =>
      (await Promise.all(ports().map((p) => clusterStateOk(p, count)))).every(Boolean),
    );
    if (replicas > 0) {
      // Masters serve slots (a replica may still show as a slot-less master while the news spreads).
      const masters = (await topology()).filter((n) => n.role === "master" && n.slots.length > 0);
      await until("the cluster's replicas did not sync", 20_000, async () =>
        (await Promise.all(masters.map((m) => replicasOnline(m.port, replicas)))).every(Boolean),
      );
    }
  } catch (err) {
    for (const n of nodes) await n.stop();
    throw err;
  }
  const first = nodes[0] as TestRedis;
  const config = { redisUrl: first.url, redis: { clusterNodes: nodes.map((n) => `127.0.0.1:${n.port}`) } };
  const clients: RedisClient[] = [];
  const nodeOn = (port: number) => nodes.find((n) => n.port === port);
  const masterPortOf = async (slot: number) =>
    (await topology()).find(
      (n) => n.role === "master" && !n.failing && n.slots.some(([a, b]) => a <= slot && slot <= b),
    )?.port;
  return {
    url: first.url,
    config,
    cluster: true,
    port: first.port,
    dir: first.dir,
    ports: ports(),
    topology,
    masterPortOf,
    async replicaPortsOf(port) {
      const all = await topology();
      const master = all.find((n) => n.port === port);
      return all.filter((n) => master && n.masterId === master.id).map((n) => n.port);
    },
    signalNode(port, signal) {
      nodeOn(port)?.signal?.(signal);
    },
    async restartNode(port) {
      await nodeOn(port)?.restart();
    },
    waitForReplicas: (port, count, timeoutMs = 20_000) =>
      until(`the master on ${port} did not get ${count} replica(s)`, timeoutMs, () =>
        replicasOnline(port, count),
      ),
    command: (port, ...args) => nodeCommand(port, args, true),
    async waitForNewMaster(slot, oldPort, timeoutMs = 20_000) {
      let found: number | undefined;
      const live = () => ports().filter((p) => p !== oldPort);
      await until("no replica took over the slot", timeoutMs, async () => {
        found = await masterPortOf(slot).catch(() => undefined);
        if (found === undefined || found === oldPort) return false;
        const states = await Promise.all(
          live().map((p) => nodeCommand(p, ["CLUSTER", "INFO"]).catch(() => "")),
        );
        return states.every((s) => /cluster_state:ok/.test(String(s)));
      });
      return found as number;
    },
    client() {
      const c = createRedisClient(config, { maxRetriesPerRequest: null });
      clients.push(c);
      return c;
    },
    async flush() {
      // Replicas refuse FLUSHALL (read-only) and follow their master's.
      const masters = (await topology()).filter((n) => n.role === "master" && !n.failing);
      await Promise.all(masters.map((m) => nodeOn(m.port)?.flush()));
    },
    async restart() {
      throw new Error("restart is not supported on the test Redis Cluster");
    },
    async stop() {
      for (const c of clients) c.disconnect();
      // A stopped (SIGSTOP) node would not act on the SIGTERM of stop().
      for (const n of nodes) n.signal?.("SIGCONT");
      for (const n of nodes) await n.stop();
      rmSync(first.dir, { recursive: true, force: true });
    },
  };
}

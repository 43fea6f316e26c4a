// Starts a private 3-master Redis Cluster on free loopback ports (redis-server --cluster-enabled, then
// `redis-cli --cluster create`) for one test file or bench, and stops it. No replicas: the tests check
// that keybridge's keys and scripts work across slots and nodes, not failover.
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { createRedisClient, type RedisClient } from "../../src/store/create-redis-client";
import { startSingleTestRedis, type TestRedis } from "./test-redis";

const run = promisify(execFile);
const MASTERS = 3;

async function clusterStateOk(port: number): Promise<boolean> {
  const probe = new Redis(port, "127.0.0.1", {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  try {
    await probe.connect();
    const info = await probe.cluster("INFO");
    // Every node must know all slots are served and see all masters, or a client may get CLUSTERDOWN.
    return /cluster_state:ok/.test(info) && new RegExp(`cluster_known_nodes:${MASTERS}\\b`).test(info);
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

async function waitClusterOk(ports: number[]): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const states = await Promise.all(ports.map(clusterStateOk));
    if (states.every(Boolean)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Redis Cluster on ${ports.join(",")} did not reach cluster_state:ok within 20 s`);
}

export async function startTestRedisCluster(): Promise<TestRedis> {
  const nodes: TestRedis[] = [];
  try {
    for (let i = 0; i < MASTERS; i++) {
      const node = await startSingleTestRedis({
        extraArgs: [
          "--cluster-enabled",
          "yes",
          "--cluster-config-file",
          "nodes.conf",
          "--cluster-node-timeout",
          "2000",
        ],
      });
      nodes.push(node);
    }
    const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
    await run(
      "redis-cli",
      ["--cluster", "create", ...addresses, "--cluster-replicas", "0", "--cluster-yes"],
      {
        timeout: 20_000,
      },
    );
    await waitClusterOk(nodes.map((n) => n.port));
  } catch (err) {
    for (const n of nodes) await n.stop();
    throw err;
  }
  const first = nodes[0] as TestRedis;
  const config = { redisUrl: first.url, redis: { clusterNodes: nodes.map((n) => `127.0.0.1:${n.port}`) } };
  const clients: RedisClient[] = [];
  return {
    url: first.url,
    config,
    cluster: true,
    port: first.port,
    dir: first.dir,
    client() {
      const c = createRedisClient(config, { maxRetriesPerRequest: null });
      clients.push(c);
      return c;
    },
    async flush() {
      await Promise.all(nodes.map((n) => n.flush()));
    },
    async restart() {
      throw new Error("restart is not supported on the test Redis Cluster");
    },
    async stop() {
      for (const c of clients) c.disconnect();
      for (const n of nodes) await n.stop();
      rmSync(first.dir, { recursive: true, force: true });
    },
  };
}

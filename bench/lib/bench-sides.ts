// The services `npm run bench` compares, each its own OS process started fresh: the bare node:http
// reference, the stock SCIMMY + scimmy-routers peer, `keybridge serve` (API only) and `keybridge start`
// (API + its worker process) — each keybridge on a private Redis, so start's workers drain only its own
// backlog. Every side answers the same SCIM requests under /scim/v2/bench.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createReconcileQueues, type ReconcileQueues } from "../../src/reconcile/reconcile-queues";
import { PRIORITY } from "../../src/reconcile/reconcile-job";
import { createRedisClient } from "../../src/store/create-redis-client";
import { freePort, startSingleTestRedis, type TestRedis } from "../../test/helpers/test-redis";
import { startTestRedisCluster } from "../../test/helpers/test-redis-cluster";
import { send, type Target } from "./load-runner";

export const TENANT = "bench";
/** The key system bench/fixtures/mappings declares (memory driver, nothing granted). */
const SYSTEM = "bench";
const ROOT = join(__dirname, "..", "..");

export interface Side {
  name: string;
  target: Target;
  ids: string[];
  extraIds: string[];
  groupId?: string;
  /** Runs before each measured turn (start: tops the reconcile backlog up). */
  beforeTurn?: () => Promise<void>;
  /** Persons still waiting for a reconcile, when the side has workers. */
  backlog?: () => Promise<number>;
  /** Resident memory of the side's processes in MB. */
  rssMb(): number;
  stop(): Promise<void>;
}

function rssOf(pid: number | undefined): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8")
      .split("\n")
      .find((l) => l.startsWith("VmRSS:"));
    return Number(line?.replace(/\D+/g, "") ?? 0) / 1024;
  } catch {
    return 0;
  }
}

function childPids(pid: number | undefined): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    child.stdout?.once("data", (d: Buffer) => resolve(d.toString().trim()));
    child.once("exit", (code) => reject(new Error(`exited ${code}`)));
  });
}

export async function waitHttp(target: Target, path: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await send(target, { method: "GET", path })).status < 500) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`service did not answer ${path}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** A server script under bench/lib run by node itself (an npx wrapper would survive SIGTERM). */
async function scriptSide(name: string, script: string, token: string): Promise<Side> {
  const child = spawn("node", ["--require", "tsx/cjs", join(__dirname, script), token], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = Number(await firstLine(child));
  const target = { port, headers: { authorization: `Bearer ${token}`, accept: "application/scim+json" } };
  return { name, target, ids: [], extraIds: [], rssMb: () => rssOf(child.pid), stop: () => stopChild(child) };
}

export const referenceSide = (token: string) => scriptSide("reference", "reference-server.ts", token);
export const peerSide = (token: string) => scriptSide("SCIMMY peer", "scimmy-peer-server.ts", token);

export interface KeybridgeSideOptions {
  /** On a private 3-master Redis Cluster instead of one redis-server (bench:cluster). */
  cluster?: boolean;
  /** KEYBRIDGE_API_PROCESSES (default 1). */
  apiProcesses?: number;
  name?: string;
}

/** `keybridge <command>` on a private Redis; `start` also gets its backlog top-up and count. */
export async function keybridgeSide(
  command: "serve" | "start",
  mappingsDir: string,
  options: KeybridgeSideOptions = {},
): Promise<Side> {
  const redis: TestRedis = options.cluster ? await startTestRedisCluster() : await startSingleTestRedis();
  const port = await freePort();
  const configPath = join(tmpdir(), `kb-bench-${command}-${process.pid}.yaml`);
  writeFileSync(
    configPath,
    `tenants:\n  - { id: ${TENANT}, displayName: Bench, kind: generic, rateLimit: { requestsPerSecond: 1000000, burst: 1000000 } }\nmappingsDir: ${mappingsDir}\n`,
  );
  const env = {
    ...process.env,
    REDIS_URL: redis.url,
    ...(redis.config.redis
      ? { KEYBRIDGE_REDIS_CLUSTER_NODES: redis.config.redis.clusterNodes.join(",") }
      : {}),
    ...(options.apiProcesses ? { KEYBRIDGE_API_PROCESSES: String(options.apiProcesses) } : {}),
    PORT: String(port),
    KEYBRIDGE_CONFIG: configPath,
    LOG_LEVEL: "warn",
  };
  const token = execFileSync("node", ["bin/keybridge.js", "tokens", "create", "--tenant", TENANT], {
    cwd: ROOT,
    env,
    encoding: "utf8",
  })
    .split(/\s+/)
    .find((w) => /^[A-Za-z0-9_-]{32,}$/.test(w));
  if (!token) throw new Error("could not read the token printed by `keybridge tokens create`");
  // KB_BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the service under load.
  const nodeArgs = (process.env.KB_BENCH_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
  const child = spawn("node", [...nodeArgs, "bin/keybridge.js", command], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const target = { port, headers: { authorization: `Bearer ${token}`, accept: "application/scim+json" } };
  const side: Side = {
    name: options.name ?? `keybridge ${command}`,
    target,
    ids: [],
    extraIds: [],
    rssMb: () => [child.pid, ...childPids(child.pid)].reduce((sum: number, pid) => sum + rssOf(pid), 0),
    stop: async () => {
      await stopChild(child);
      await redis.stop();
    },
  };
  if (command === "start") Object.assign(side, backlogHooks(side, redis));
  await waitHttp(target, `/scim/v2/${TENANT}/ServiceProviderConfig`);
  return side;
}

/** The backlog `start`'s workers drain while a step is measured: every known person, re-enqueued. */
function backlogHooks(side: Side, redis: TestRedis): Pick<Side, "beforeTurn" | "backlog"> {
  let queues: ReconcileQueues | undefined;
  const open = () => {
    queues ??= createReconcileQueues({
      connection: createRedisClient(redis.config, { maxRetriesPerRequest: null }),
      systems: [SYSTEM],
      attempts: 3,
    });
    return queues;
  };
  return {
    async beforeTurn() {
      const persons = [...side.ids, ...side.extraIds].map((personId) => ({
        tenant: TENANT,
        personId,
        trigger: "resync" as const,
        correlationId: "bench",
      }));
      for (let i = 0; i < persons.length; i += 1000)
        await open().enqueueBulk(SYSTEM, persons.slice(i, i + 1000), PRIORITY.resync);
    },
    async backlog() {
      const counts = await open().queue(SYSTEM).getJobCounts("waiting", "prioritized", "active");
      return Object.values(counts).reduce((a, b) => a + b, 0);
    },
  };
}

// Profiles one reconcile run: Redis commands per person (INFO commandstats on a private Redis) and wall
// time per person, for a converged person and for a changing one (grant, then revoke). Prints figures.
// Run: npx tsx bench/profile-reconcile.ts [--persons N] [--latency MS]
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { parseConfig } from "../src/config/load-config";
import { silentLogger } from "../src/log/logger";
import { reconcilePerson } from "../src/reconcile/reconcile-person";
import { startProcesses } from "../src/runtime/start-processes";
import { reconcileDeps } from "../src/runtime/start-workers";
import { CORE_GROUP_URN, CORE_USER_URN } from "../src/store/directory-types";
import { startTestRedis } from "../test/helpers/test-redis";

const { values: args } = parseArgs({
  options: {
    persons: { type: "string", default: "500" },
    latency: { type: "string", default: "0" },
    "converged-only": { type: "boolean", default: false },
  },
});
const N = Number(args.persons);
const SYSTEM = "bench-lock";
const TENANT = "prof";

async function commandStats(
  redis: import("../src/store/create-redis-client").RedisClient,
): Promise<Map<string, number>> {
  const text = (await redis.info("commandstats")) as string;
  const m = new Map<string, number>();
  for (const line of text.split("\n")) {
    const r = /^cmdstat_([^:]+):calls=(\d+)/.exec(line.trim());
    if (r) m.set(r[1]!, Number(r[2]));
  }
  return m;
}

function diff(a: Map<string, number>, b: Map<string, number>, n: number): string {
  const rows: string[] = [];
  let total = 0;
  for (const [k, v] of b) {
    const d = v - (a.get(k) ?? 0);
    if (d > 0 && k !== "info") {
      rows.push(`${k}=${(d / n).toFixed(2)}`);
      total += d;
    }
  }
  return `${(total / n).toFixed(2)} commands/person (${rows.join(" ")})`;
}

async function main(): Promise<void> {
  const redis = await startTestRedis();
  const config = parseConfig({
    redisUrl: redis.url,
    logLevel: "silent",
    mappingsDir: join(__dirname, "pipeline-mappings"),
    tenants: [{ id: TENANT, displayName: TENANT, kind: "generic" }],
    keySystems: { [SYSTEM]: { concurrency: 1, options: { latencyMs: Number(args.latency) } } },
    reconcile: { attempts: 5, backoffMs: 100, resyncEveryMs: 86_400_000 },
  });
  const running = await startProcesses(config, { api: false, workers: true }, { logger: silentLogger() });
  if (!running.drivers) throw new Error("profile: the worker role built no driver");
  await running.core.queues.queue(SYSTEM).pause();
  const deps = reconcileDeps(running.core, running.drivers);
  const { store } = running.core;
  const admin = redis.client();
  const ids: string[] = [];
  for (let i = 0; i < N; i++) {
    const r = await store.createUser(
      TENANT,
      { schemas: [CORE_USER_URN], userName: `p${i}`, active: true },
      { correlationId: "prof" },
    );
    ids.push(r.resource.id);
  }
  const staff = await store.createGroup(TENANT, { schemas: [CORE_GROUP_URN], displayName: "Staff" }, [], {
    correlationId: "prof",
  });
  const run = async (label: string) => {
    const before = await commandStats(admin);
    const t = performance.now();
    const cpu = process.cpuUsage();
    for (const personId of ids)
      await reconcilePerson(
        { tenant: TENANT, personId, trigger: "resync", correlationId: "prof" },
        SYSTEM,
        deps,
      );
    const wall = (performance.now() - t) / N;
    const used = process.cpuUsage(cpu);
    const after = await commandStats(admin);
    process.stdout.write(
      `${label}: ${wall.toFixed(2)} ms wall, ${((used.user + used.system) / 1000 / N).toFixed(2)} ms CPU per person; ${diff(before, after, N)}\n`,
    );
  };
  await run("first run (no holder, nothing desired)");
  await run("converged, nothing desired");
  if (args["converged-only"]) {
    for (let i = 0; i < 5; i++) await run("converged, nothing desired");
    await admin.quit();
    await running.close();
    await redis.stop();
    return;
  }
  await store.changeMembers(TENANT, staff.resource.id, { add: ids }, { correlationId: "prof" });
  await run("changing: grant");
  await run("converged, one grant held");
  await store.changeMembers(TENANT, staff.resource.id, { remove: ids }, { correlationId: "prof" });
  await run("changing: revoke");
  await admin.quit();
  await running.close();
  await redis.stop();
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});

// Benchmark of the provisioning pipeline, built through src/runtime as `keybridge worker` / `start`
// build it, on a private Redis: (1) with the memory driver answering every call in 5 ms, revocation
// latency (directory write + hook → driver has applied the revocation) with the queue idle and behind
// 100,000 waiting grant jobs, reconcile throughput of a converged full resync and of persons that each
// need a grant (then a revoke), each beside a reference measured in the same run on the same Redis:
// raw BullMQ jobs that only wait the driver's latency once, at the same concurrency; (2) SCIM deactivation over
// HTTP → revocation effective in the ledger through the iLOQ fake at the same vendor latency, idle and
// behind the same backlog (bench/lib/iloq-revocation-bench.ts). Prints figures; asserts nothing.
// Run: npx tsx bench/pipeline-bench.ts [--persons N] [--samples N] [--concurrency N] [--latency MS]
//   [--only memory|iloq] [--resync-batch N] [--profile-resync FILE.cpuprofile]
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { holderExternalId } from "../src/access/holder-spec";
import { parseConfig } from "../src/config/load-config";
import type { GrantSpec, HolderRef, KeySystemDriver } from "../src/drivers/key-system-driver";
import { Queue, Worker } from "bullmq";
import { silentLogger } from "../src/log/logger";
import { PRIORITY } from "../src/reconcile/reconcile-job";
import { runResync } from "../src/reconcile/run-resync";
import { startProcesses } from "../src/runtime/start-processes";
import { reconcileDeps } from "../src/runtime/start-workers";
import { CORE_GROUP_URN, CORE_USER_URN } from "../src/store/directory-types";
import { redisKeys } from "../src/store/redis-keys";
import { startTestRedis } from "../test/helpers/test-redis";
import { runIloqRevocationBench } from "./lib/iloq-revocation-bench";

const SYSTEM = "bench-lock";
const TENANT = "bench";
const RESYNC_TENANT = "bench-resync";

const { values: args } = parseArgs({
  options: {
    persons: { type: "string", default: "100000" },
    samples: { type: "string", default: "40" },
    concurrency: { type: "string", default: "4" },
    latency: { type: "string", default: "5" },
    only: { type: "string", default: "all" },
    /** Persons granted then revoked in the throughput section (default: --persons, at most 20,000). */
    changing: { type: "string" },
    /** Persons per full-resync job (config reconcile.resyncBatchSize; 1: one job per person). */
    "resync-batch": { type: "string" },
    /** Writes a V8 CPU profile of this process covering only the full resync (open in Chrome DevTools). */
    "profile-resync": { type: "string" },
  },
});
const PERSONS = Number(args.persons);
const SAMPLES = Number(args.samples);
const CONCURRENCY = Number(args.concurrency);
const LATENCY = Number(args.latency);
const CHANGING = Number(args.changing ?? Math.min(PERSONS, 20_000));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
};
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

/** Resolves when the driver has applied an empty grant set for that holder (the revocation). */
function revocationProbe(driver: KeySystemDriver) {
  const waiting = new Map<string, () => void>();
  const wrapped = new Proxy(driver, {
    get(target, prop, receiver) {
      if (prop === "setGrants") {
        return async (holder: HolderRef, desired: GrantSpec[], ctx: { operationId: string }) => {
          const result = await target.setGrants(holder, desired, ctx);
          if (desired.length === 0) waiting.get(holder.externalId)?.();
          return result;
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const next = (externalId: string) => new Promise<void>((resolve) => waiting.set(externalId, resolve));
  return { wrapped, next };
}

async function main(): Promise<void> {
  if (args.only !== "iloq") await memorySection();
  if (args.only !== "memory")
    await runIloqRevocationBench({
      persons: PERSONS,
      samples: SAMPLES,
      latencyMs: LATENCY,
      concurrency: CONCURRENCY,
    });
}

async function memorySection(): Promise<void> {
  const redis = await startTestRedis();
  const config = parseConfig({
    redisUrl: redis.url,
    logLevel: "silent",
    mappingsDir: join(__dirname, "pipeline-mappings"),
    tenants: [TENANT, RESYNC_TENANT].map((id) => ({ id, displayName: id, kind: "generic" })),
    keySystems: { [SYSTEM]: { concurrency: CONCURRENCY, options: { latencyMs: LATENCY } } },
    reconcile: {
      attempts: 5,
      backoffMs: 100,
      resyncEveryMs: 86_400_000,
      ...(args["resync-batch"] ? { resyncBatchSize: Number(args["resync-batch"]) } : {}),
    },
  });
  let probe: ReturnType<typeof revocationProbe> | undefined;
  // Built exactly as `keybridge worker` builds it; only the driver is wrapped to time the revocation.
  const running = await startProcesses(
    config,
    { api: false, workers: true },
    {
      logger: silentLogger(),
      wrapDriver: (_system, driver) => {
        probe = revocationProbe(driver);
        return probe.wrapped;
      },
    },
  );
  if (!probe || !running.drivers) throw new Error("bench: the worker role built no driver");
  const { store, hook, queues } = running.core;
  const deps = reconcileDeps(running.core, running.drivers);
  const applied = probe;
  const queue = queues.queue(SYSTEM);

  const createUsers = async (
    tenant: string,
    n: number,
    prefix: string,
    withHook: boolean,
  ): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < n; i += 200) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(200, n - i) }, (_, j) =>
          store.createUser(
            tenant,
            { schemas: [CORE_USER_URN], userName: `${prefix}${i + j}`, active: true },
            { correlationId: "bench" },
          ),
        ),
      );
      ids.push(...batch.map((r) => r.resource.id));
      if (withHook)
        for (const r of batch)
          await hook({
            tenant,
            correlationId: "bench",
            resourceType: "User",
            resourceId: r.resource.id,
            operation: "create",
            persons: r.changes,
            at: new Date().toISOString(),
          });
    }
    return ids;
  };
  const waitDrained = async () => {
    for (;;) {
      const c = await queue.getJobCounts("active", "wait", "prioritized");
      if ((c.active ?? 0) + (c.wait ?? 0) + (c.prioritized ?? 0) === 0) return;
      await sleep(50);
    }
  };
  const deactivate = async (id: string) => {
    const r = await store.updateUser(TENANT, id, ({ id: _i, meta: _m, ...u }) => ({ ...u, active: false }), {
      correlationId: "bench",
    });
    await hook({
      tenant: TENANT,
      correlationId: `bench-${id}`,
      resourceType: "User",
      resourceId: id,
      operation: "patch",
      persons: r.changes,
      at: new Date().toISOString(),
    });
  };
  const measure = async (id: string): Promise<number> => {
    const done = applied.next(holderExternalId(TENANT, SYSTEM, id));
    const t0 = performance.now();
    await deactivate(id);
    await done;
    return performance.now() - t0;
  };

  process.stdout.write(
    `pipeline bench: memory driver ${LATENCY} ms per call, concurrency ${CONCURRENCY}, ${SAMPLES} samples, ${PERSONS} persons, resync batches of ${config.reconcile.resyncBatchSize} (${config.reconcile.resyncObserveParallelism} observes at a time)\n`,
  );
  // Leavers: granted while the queue is idle.
  const leavers = await createUsers(TENANT, 2 * SAMPLES, "leaver-", false);
  const staff = await store.createGroup(TENANT, { schemas: [CORE_GROUP_URN], displayName: "Staff" }, [], {
    correlationId: "bench",
  });
  const grant = await store.changeMembers(
    TENANT,
    staff.resource.id,
    { add: leavers },
    { correlationId: "bench" },
  );
  await hook({
    tenant: TENANT,
    correlationId: "bench",
    resourceType: "Group",
    resourceId: staff.resource.id,
    operation: "patch",
    persons: grant.changes,
    at: new Date().toISOString(),
  });
  await waitDrained();

  const idle: number[] = [];
  for (const id of leavers.slice(0, SAMPLES)) {
    idle.push(await measure(id));
    await waitDrained();
    await sleep(20);
  }

  // Backlog: PERSONS joiners in Staff, each a waiting grant job at priority 5 (as a resync leaves them).
  let t = performance.now();
  const joiners = await createUsers(TENANT, PERSONS, "joiner-", false);
  for (let i = 0; i < joiners.length; i += 1000) {
    await store.changeMembers(
      TENANT,
      staff.resource.id,
      { add: joiners.slice(i, i + 1000) },
      { correlationId: "bench" },
    );
  }
  process.stdout.write(`  created ${PERSONS} joiners in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  await queue.pause();
  t = performance.now();
  for (let i = 0; i < joiners.length; i += 1000) {
    const jobs = joiners.slice(i, i + 1000).map((personId) => ({
      tenant: TENANT,
      personId,
      trigger: "resync" as const,
      correlationId: "bench-backlog",
    }));
    await queues.enqueueBulk(SYSTEM, jobs, PRIORITY.change);
  }
  process.stdout.write(
    `  enqueued ${PERSONS} grant jobs in ${((performance.now() - t) / 1000).toFixed(1)} s\n`,
  );
  await queue.resume();
  await sleep(1000);
  const backlog: number[] = [];
  const waitingAtStart = (await queue.getJobCounts("prioritized")).prioritized ?? 0;
  for (const id of leavers.slice(SAMPLES)) {
    backlog.push(await measure(id));
    await sleep(50);
  }
  const waitingAtEnd = (await queue.getJobCounts("prioritized")).prioritized ?? 0;
  await queue.obliterate({ force: true });
  // The backlog's persons stay dirty (their jobs were dropped, not run): without this the dirty sweeper
  // re-enqueues all of them a minute later, in the middle of the throughput sections below.
  await running.core.redis.del(redisKeys.dirtyPersons(TENANT));

  const idleP99 = pct(idle, 99);
  const backlogP99 = pct(backlog, 99);
  process.stdout.write("\nrevocation latency (directory write + hook → driver applied the revocation)\n");
  process.stdout.write(
    `  queue idle:          p50 ${fmt(pct(idle, 50))}  p99 ${fmt(idleP99)}  max ${fmt(Math.max(...idle))}\n`,
  );
  process.stdout.write(
    `  ${waitingAtStart}→${waitingAtEnd} grant jobs waiting: p50 ${fmt(pct(backlog, 50))}  p99 ${fmt(backlogP99)}  max ${fmt(Math.max(...backlog))}\n`,
  );
  process.stdout.write(`  backlog p99 / idle p99 = ${(backlogP99 / idleP99).toFixed(2)} (target ≤ 2)\n`);

  // Reference: raw BullMQ jobs on the same Redis at the same concurrency, each only waiting the driver's
  // latency once, added with addBulk and deduplication ids like a resync's. The ceiling of a
  // one-job-per-person pipeline with one vendor call per person on this machine at this moment.
  const refRate = await referenceRate(redis.url, PERSONS);
  process.stdout.write(
    `\nreference: ${PERSONS} bare BullMQ jobs (one ${LATENCY} ms wait each, concurrency ${CONCURRENCY}) → ${Math.round(refRate)} jobs/s\n`,
  );

  // Changing persons: CHANGING persons join Staff (each needs a holder, a credential and a grant:
  // observe + 3 vendor writes), then leave it (observe + 1 write), enqueued by the directory hook.
  const movers = await createUsers(RESYNC_TENANT, CHANGING, "m-", false);
  const moverGroup = await store.createGroup(
    RESYNC_TENANT,
    { schemas: [CORE_GROUP_URN], displayName: "Staff" },
    [],
    { correlationId: "bench" },
  );
  const changeAll = async (change: { add?: string[]; remove?: string[] }): Promise<number> => {
    const t0 = performance.now();
    const ids = change.add ?? change.remove ?? [];
    // 500 persons per change: the hook enqueues up to that many before it returns (a larger change is
    // enqueued behind it, and the drain wait below could then pass before the jobs exist).
    for (let i = 0; i < ids.length; i += 500) {
      const slice = ids.slice(i, i + 500);
      const r = await store.changeMembers(
        RESYNC_TENANT,
        moverGroup.resource.id,
        change.add ? { add: slice } : { remove: slice },
        { correlationId: "bench" },
      );
      await hook({
        tenant: RESYNC_TENANT,
        correlationId: "bench-change",
        resourceType: "Group",
        resourceId: moverGroup.resource.id,
        operation: "patch",
        persons: r.changes,
        at: new Date().toISOString(),
      });
    }
    await waitDrained();
    return ids.length / ((performance.now() - t0) / 1000);
  };
  const grantRate = await changeAll({ add: movers });
  process.stdout.write(`changing persons, each granted:  ${Math.round(grantRate)} persons/s\n`);
  const revokeRate = await changeAll({ remove: movers });
  process.stdout.write(`changing persons, each revoked:  ${Math.round(revokeRate)} persons/s\n`);

  // Full resync throughput: PERSONS persons of another tenant with no desired access and no holder,
  // i.e. the converged daily case (one observe at LATENCY ms, no vendor write, one ledger write each).
  t = performance.now();
  await createUsers(RESYNC_TENANT, PERSONS, "p-", false);
  process.stdout.write(
    `\n  created ${PERSONS} resync persons in ${((performance.now() - t) / 1000).toFixed(1)} s\n`,
  );
  const statsClient = redis.client();
  // The creates' audit records are moved onto the chain behind them: let that finish first, so the
  // CPU figures below are the resync's own.
  while ((await statsClient.llen(redisKeys.auditOutbox(RESYNC_TENANT))) > 0) await sleep(50);
  const profiler = args["profile-resync"] ? await startProfile() : undefined;
  const cpuBefore = { bench: process.cpuUsage(), redis: await redisCpuSeconds(statsClient) };
  t = performance.now();
  const resynced = await runResync(
    SYSTEM,
    { trigger: "resync", correlationId: "bench-resync" },
    { ...deps, tenants: async () => [RESYNC_TENANT] },
  );
  const enqueued = (performance.now() - t) / 1000;
  await waitDrained();
  const total = (performance.now() - t) / 1000;
  const benchCpu = process.cpuUsage(cpuBefore.bench);
  const redisCpu = (await redisCpuSeconds(statsClient)) - cpuBefore.redis;
  if (profiler) await profiler.stop(args["profile-resync"] as string);
  statsClient.disconnect();
  process.stdout.write(
    `  CPU during the resync: this process ${((benchCpu.user + benchCpu.system) / 1e6).toFixed(1)} s, redis-server ${redisCpu.toFixed(1)} s, of ${total.toFixed(1)} s wall\n`,
  );
  // The main figure on a loaded machine: CPU per person does not depend on the share of a core we got.
  const perPerson = (seconds: number) => ((seconds * 1000) / resynced.persons).toFixed(3);
  process.stdout.write(
    `  CPU per resynced person: this process ${perPerson((benchCpu.user + benchCpu.system) / 1e6)} ms, redis-server ${perPerson(redisCpu)} ms\n`,
  );
  // Every person of the tenant is resynced: the PERSONS created for it and the CHANGING movers.
  const rate = resynced.persons / total;
  process.stdout.write(
    `full resync of ${resynced.persons} persons: enqueued in ${enqueued.toFixed(1)} s, reconciled in ${total.toFixed(1)} s → ${Math.round(rate)} persons/s (${((rate / refRate) * 100).toFixed(0)}% of the reference)\n`,
  );
  process.stdout.write(
    `changing persons (${CHANGING}): granted ${((grantRate / refRate) * 100).toFixed(0)}%, revoked ${((revokeRate / refRate) * 100).toFixed(0)}% of the reference\n`,
  );
  process.stdout.write(`load average at the end: ${await loadAverage()}\n`);

  await running.close();
  await redis.stop();
}

/** A V8 CPU profile of this process from now until stop(file), so setup work stays out of it. */
async function startProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const { Session } = await import("node:inspector/promises");
  const { writeFile } = await import("node:fs/promises");
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return {
    async stop(file) {
      const { profile } = await session.post("Profiler.stop");
      await writeFile(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** CPU seconds the Redis server has used so far (INFO cpu). */
async function redisCpuSeconds(
  client: import("../src/store/create-redis-client").RedisClient,
): Promise<number> {
  const info = await client.info("cpu");
  const field = (name: string) => Number(new RegExp(`${name}:([0-9.]+)`).exec(info)?.[1] ?? 0);
  return field("used_cpu_user") + field("used_cpu_sys");
}

async function loadAverage(): Promise<string> {
  const { readFile } = await import("node:fs/promises");
  return (await readFile("/proc/loadavg", "utf8")).trim();
}

/** Jobs/s of bare BullMQ jobs that each wait LATENCY ms once, at CONCURRENCY, on a queue of its own. */
async function referenceRate(url: string, n: number): Promise<number> {
  const { Redis } = await import("ioredis");
  const connection = new Redis(url, { maxRetriesPerRequest: null });
  const queue = new Queue("bench-reference", { connection });
  for (let i = 0; i < n; i += 1000) {
    await queue.addBulk(
      Array.from({ length: Math.min(1000, n - i) }, (_, j) => ({
        name: "noop",
        data: { tenant: RESYNC_TENANT, personId: `p-${i + j}` },
        opts: {
          priority: PRIORITY.resync,
          removeOnComplete: true,
          deduplication: { id: `ref|${i + j}`, keepLastIfActive: true },
        },
      })),
    );
  }
  let done = 0;
  let resolveDone = () => {};
  const finished = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });
  const t0 = performance.now();
  const worker = new Worker(
    "bench-reference",
    async () => {
      await sleep(LATENCY);
      done++;
      if (done === n) resolveDone();
    },
    { connection, concurrency: CONCURRENCY },
  );
  await finished;
  await worker.close();
  const rate = n / ((performance.now() - t0) / 1000);
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
  return rate;
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});

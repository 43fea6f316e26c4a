// The pipeline bench's iLOQ section: SCIM deactivation (Entra's PATCH active "False" over HTTP) →
// revocation effective in the grant ledger, through the iLOQ fake over HTTP at a fixed vendor latency,
// with the reconcile queue idle and behind a backlog of grant jobs. keybridge runs as `keybridge start`
// builds it (src/runtime); a simulated phone app applies ordered packets as soon as they exist.
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseConfig } from "../../src/config/load-config";
import { systemClock } from "../../src/drivers/key-system-driver";
import { silentLogger } from "../../src/log/logger";
import { PRIORITY } from "../../src/reconcile/reconcile-job";
import type { Core } from "../../src/runtime/build-core";
import { startProcesses } from "../../src/runtime/start-processes";
import { TenantTokens } from "../../src/scim/tenant-tokens";
import { CORE_USER_URN } from "../../src/store/directory-types";
import { DEMO_SEED, seedDemo } from "../../test/fakes/iloq/iloq-fake-seed";
import { IloqFakeServer } from "../../test/fakes/iloq/iloq-fake-server";
import { startTestRedis } from "../../test/helpers/test-redis";

const SYSTEM = "bench-iloq";
const TENANT = "bench";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

export interface IloqBenchOptions {
  persons: number;
  samples: number;
  latencyMs: number;
  concurrency: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
};
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;

/** Polls the ledger until the person's door reaches `action`/effective; a failed state throws. */
async function untilEffective(core: Core, id: string, action: "grant" | "revoke", everyMs: number) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const ledger = await core.ledger.read(TENANT, SYSTEM, id);
    const door = ledger.entries.find((e) => e.profile === "door");
    if (door?.action === action && door.state === "effective") return;
    if (door?.state === "failed" || Date.now() > deadline)
      throw new Error(
        `bench: ${action} for ${id} not effective (${door?.state ?? "no entry"}): ${door?.lastError?.message ?? ledger.holder.lastError?.message ?? "timeout"}`,
      );
    await sleep(everyMs);
  }
}

export async function runIloqRevocationBench(options: IloqBenchOptions): Promise<void> {
  const redis = await startTestRedis();
  const fake = new IloqFakeServer({ clock: systemClock });
  seedDemo(fake.state);
  fake.faults.push({ latencyMs: options.latencyMs, times: Number.POSITIVE_INFINITY });
  await fake.start();
  const config = parseConfig({
    redisUrl: redis.url,
    port: 0,
    host: "127.0.0.1",
    logLevel: "silent",
    mappingsDir: join(__dirname, "../pipeline-mappings-iloq"),
    tenants: [{ id: TENANT, displayName: TENANT, kind: "entra" }],
    scim: { rateLimit: { requestsPerSecond: 100_000, burst: 100_000 } },
    keySystems: {
      [SYSTEM]: {
        concurrency: options.concurrency,
        options: {
          baseUrl: fake.url,
          customerCode: DEMO_SEED.customerCode,
          userName: DEMO_SEED.userName,
          passwordSecret: "ILOQ_PASSWORD",
          lockGroupId: DEMO_SEED.lockGroupId,
        },
      },
    },
    reconcile: { attempts: 5, backoffMs: 100, resyncEveryMs: 86_400_000, confirmAfterMs: 50 },
    secrets: { ILOQ_PASSWORD: DEMO_SEED.password },
  });
  const running = await startProcesses(config, { api: true, workers: true }, { logger: silentLogger() });
  const { core } = running;
  // Every phone is online: an ordered packet is fetched and applied at once (iLOQ S50, §2.2).
  const phones = setInterval(() => {
    for (const key of fake.state.keys.values()) {
      if (!key.packet) continue;
      fake.control.phoneFetched(key.FNKey_ID);
      fake.control.keyProgrammed(key.FNKey_ID);
    }
  }, 5);
  const token = await new TenantTokens({ redis: core.redis }).create(TENANT);
  const base = `http://127.0.0.1:${running.port}/scim/v2/${TENANT}`;
  const scim = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token.secret}`, "content-type": "application/scim+json" },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`bench: ${method} ${path} → ${res.status} ${text}`);
    return text ? (JSON.parse(text) as { id: string }) : { id: "" };
  };
  try {
    process.stdout.write(
      `\niLOQ fake at ${options.latencyMs} ms per call, concurrency ${options.concurrency}, ${options.samples} samples\n`,
    );
    const leavers: string[] = [];
    for (let i = 0; i < 2 * options.samples; i++) {
      const user = await scim("POST", "/Users", {
        schemas: [CORE_USER_URN],
        userName: `leaver-${i}@bench.example`,
        active: true,
        phoneNumbers: [{ type: "mobile", value: `+3584000${String(i).padStart(5, "0")}` }],
      });
      leavers.push(user.id);
    }
    await scim("POST", "/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "Staff",
      members: leavers.map((value) => ({ value })),
    });
    for (const id of leavers) await untilEffective(core, id, "grant", 50);

    const deactivate = async (id: string) => {
      const t0 = performance.now();
      await scim("PATCH", `/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: "Replace", path: "active", value: "False" }],
      });
      await untilEffective(core, id, "revoke", 2);
      return performance.now() - t0;
    };
    const idle: number[] = [];
    for (const id of leavers.slice(0, options.samples)) idle.push(await deactivate(id));

    // Backlog: grant jobs at the change priority for persons in Staff, as a resync leaves them.
    const queue = core.queues.queue(SYSTEM);
    const joiners: string[] = [];
    for (let i = 0; i < options.persons; i += 200) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(200, options.persons - i) }, (_, j) =>
          core.store.createUser(
            TENANT,
            { schemas: [CORE_USER_URN], userName: `joiner-${i + j}`, active: true },
            { correlationId: "bench" },
          ),
        ),
      );
      joiners.push(...batch.map((r) => r.resource.id));
    }
    await queue.pause();
    for (let i = 0; i < joiners.length; i += 1000) {
      const jobs = joiners.slice(i, i + 1000).map((personId) => ({
        tenant: TENANT,
        personId,
        trigger: "resync" as const,
        correlationId: "bench-backlog",
      }));
      await core.queues.enqueueBulk(SYSTEM, jobs, PRIORITY.change);
    }
    await queue.resume();
    await sleep(1000);
    const waitingAtStart = (await queue.getJobCounts("prioritized")).prioritized ?? 0;
    const backlog: number[] = [];
    for (const id of leavers.slice(options.samples)) backlog.push(await deactivate(id));
    const waitingAtEnd = (await queue.getJobCounts("prioritized")).prioritized ?? 0;
    await queue.obliterate({ force: true });

    process.stdout.write("SCIM deactivation → revocation effective (iLOQ fake, over HTTP)\n");
    process.stdout.write(
      `  queue idle:          p50 ${fmt(pct(idle, 50))}  p99 ${fmt(pct(idle, 99))}  max ${fmt(Math.max(...idle))}\n`,
    );
    process.stdout.write(
      `  ${waitingAtStart}→${waitingAtEnd} grant jobs waiting: p50 ${fmt(pct(backlog, 50))}  p99 ${fmt(pct(backlog, 99))}  max ${fmt(Math.max(...backlog))}\n`,
    );
  } finally {
    clearInterval(phones);
    await running.close();
    await fake.stop();
    await redis.stop();
  }
}

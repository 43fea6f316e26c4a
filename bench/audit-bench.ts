// Benchmark of the audit trail on a private redis-server: append latency and throughput (one writer,
// two contending writers), verify and export rates, and Redis memory per record. Prints figures only.
// Run: npx tsx bench/audit-bench.ts [records]   (AOF on, appendfsync always: the worst case)
import { Writable } from "node:stream";
import type { AuditEventInput } from "../src/audit/audit-event";
import { AuditTrail } from "../src/audit/audit-trail";
import { exportAudit } from "../src/audit/export-audit";
import { verifyAudit } from "../src/audit/verify-audit";
import { redisKeys } from "../src/store/redis-keys";
import { startTestRedis } from "../test/helpers/test-redis";

const total = Number(process.argv[2] ?? 20_000);

function event(i: number, actor: string): AuditEventInput {
  return {
    type: "driver.result",
    tenant: "acme",
    actor,
    subject: { kind: "person", id: `person-${i % 1000}` },
    correlationId: `job-${i}`,
    outcome: "success",
    data: { keySystem: "iloq-main", profile: "north-gate", exposureUntil: "2026-03-01T00:00:00.000Z" },
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function timed<T>(label: string, count: number, run: () => Promise<T>): Promise<T> {
  const start = process.hrtime.bigint();
  const result = await run();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(`${label}: ${count} in ${ms.toFixed(0)} ms = ${Math.round((count / ms) * 1000)}/s`);
  return result;
}

async function main(): Promise<void> {
  const server = await startTestRedis({ appendOnly: true });
  try {
    const redis = server.client();
    const one = new AuditTrail({ redis });
    const latencies: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const start = process.hrtime.bigint();
      await one.append(event(i, "worker"));
      latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    latencies.sort((a, b) => a - b);
    console.log(
      `sequential append latency (1000): p50 ${percentile(latencies, 50).toFixed(2)} ms, p99 ${percentile(latencies, 99).toFixed(2)} ms`,
    );
    await timed("concurrent appends, one writer", total / 2, () =>
      Promise.all(Array.from({ length: total / 2 }, (_, i) => one.append(event(i, "worker")))),
    );
    const a = new AuditTrail({ redis: server.client() });
    const b = new AuditTrail({ redis: server.client() });
    await timed("concurrent appends, two contending writers", total / 2, () =>
      Promise.all(
        Array.from({ length: total / 2 }, (_, i) =>
          (i % 2 === 0 ? a : b).append(event(i, i % 2 ? "b" : "a")),
        ),
      ),
    );
    const count = 1000 + total;
    const result = await timed("verify", count, () => verifyAudit(redis));
    console.log(`verify ok: ${result.ok}, count ${result.count}`);
    const sink = new Writable({ write: (_c, _e, done) => done() });
    await timed("export (unfiltered)", count, () => exportAudit(redis, {}, sink));
    await timed("export --person (one of 1000 persons)", count, () =>
      exportAudit(redis, { person: "person-7" }, sink),
    );
    const bytes = Number(await redis.memory("USAGE", redisKeys.auditLog(), "SAMPLES", "0"));
    console.log(`redis memory: ${bytes} bytes for ${count} records = ${Math.round(bytes / count)} B/record`);
  } finally {
    await server.stop();
  }
}

void main();

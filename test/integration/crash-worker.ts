// A reconcile worker in its own process, for the SIGKILL test: real pipeline, memory drivers whose
// simulated key system lives in Redis (shared with the test), slow vendor calls, a short lock.
// Usage: node --import tsx test/integration/crash-worker.ts <redisUrl> <lockDurationMs> <latencyMs>
import { Redis } from "ioredis";
import { startHarness } from "./pipeline-harness";

async function main(): Promise<void> {
  const [url, lockDurationMs, latencyMs] = process.argv.slice(2);
  if (!url) throw new Error("usage: crash-worker <redisUrl> <lockDurationMs> <latencyMs>");
  const shared = { redisUrl: url, latencyMs: Number(latencyMs ?? 0) };
  await startHarness(
    { client: () => new Redis(url, { maxRetriesPerRequest: null }) },
    { lockDurationMs: Number(lockDurationMs ?? 2000), memory: { lockhall: shared, yard: shared } },
  );
  process.stdout.write("ready\n");
}

main().catch((err) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});

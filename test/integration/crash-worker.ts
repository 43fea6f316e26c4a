// A reconcile worker in its own process, for the SIGKILL test: real pipeline, memory drivers whose
// simulated key system lives in Redis (shared with the test), slow vendor calls, and the production
// lock settings (config reconcile.lockDurationMs / stalledIntervalMs defaults), since the lock a killed
// worker leaves behind is what the recovery waits out.
// Usage: node --import tsx test/integration/crash-worker.ts <redisUrl> <latencyMs>
import { Redis } from "ioredis";
import { startHarness } from "./pipeline-harness";

async function main(): Promise<void> {
  const [url, latencyMs] = process.argv.slice(2);
  if (!url) throw new Error("usage: crash-worker <redisUrl> <latencyMs>");
  const shared = { redisUrl: url, latencyMs: Number(latencyMs ?? 0) };
  await startHarness(
    { client: () => new Redis(url, { maxRetriesPerRequest: null }) },
    { memory: { lockhall: shared, yard: shared } },
  );
  process.stdout.write("ready\n");
}

main().catch((err) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});

// What redis.waitReplicas costs a SCIM write: `keybridge serve` on a local Sentinel set (a master, two
// replicas, three sentinels), PATCH active=false/true one at a time, with WAIT 1 and without, both in
// the same run against the same Redis processes. Prints p50/p99 and requests per second per setting.
import { join } from "node:path";
import { loadConfig } from "../src/config/load-config";
import { silentLogger } from "../src/log/logger";
import { startProcesses } from "../src/runtime/start-processes";
import { TenantTokens } from "../src/scim/tenant-tokens";
import { startTestSentinels } from "../test/helpers/test-redis-sentinel";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

function configWith(sentinels: string[], waitReplicas: number) {
  const file = join(mkdtempSync(join(tmpdir(), "kb-sentinel-bench-")), "keybridge.json");
  writeFileSync(
    file,
    JSON.stringify({
      port: 0,
      host: "127.0.0.1",
      logLevel: "silent",
      redis: { sentinels, waitReplicas },
      mappingsDir: join(__dirname, "..", "mappings"),
      scim: { rateLimit: { requestsPerSecond: 100_000, burst: 100_000 } },
    }),
  );
  return loadConfig({ KEYBRIDGE_CONFIG: file });
}

async function measure(sentinels: string[], waitReplicas: number, userName: string) {
  const running = await startProcesses(
    configWith(sentinels, waitReplicas),
    { api: true, workers: false },
    {
      logger: silentLogger(),
      bootstrap: false,
    },
  );
  try {
    const token = await new TenantTokens({ redis: running.core.redis }).create("demo");
    const base = `http://127.0.0.1:${running.port}/scim/v2/demo`;
    const headers = { authorization: `Bearer ${token.secret}`, "content-type": "application/scim+json" };
    const created = await fetch(`${base}/Users`, {
      method: "POST",
      headers,
      body: JSON.stringify({
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
        userName,
        active: true,
      }),
    });
    const id = ((await created.json()) as { id: string }).id;
    const times: number[] = [];
    const started = performance.now();
    for (let i = 0; i < REQUESTS; i++) {
      const body = {
        schemas: [PATCH_OP],
        Operations: [{ op: "Replace", path: "active", value: i % 2 === 1 }],
      };
      const t0 = performance.now();
      const res = await fetch(`${base}/Users/${id}`, {
        method: "PATCH",
        headers,
        body: JSON.stringify(body),
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`PATCH answered ${res.status}`);
      times.push(performance.now() - t0);
    }
    const seconds = (performance.now() - started) / 1000;
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(2);
    return { waitReplicas, p50: at(0.5), p99: at(0.99), perSecond: Math.round(REQUESTS / seconds) };
  } finally {
    await running.close();
  }
}

async function main() {
  const set = await startTestSentinels();
  try {
    const rows = [];
    // Alternating settings, twice each, so machine load drifts affect both alike.
    for (const round of [1, 2])
      for (const waitReplicas of [0, 1])
        rows.push({
          round,
          ...(await measure(set.sentinels, waitReplicas, `bench-${round}-${waitReplicas}@example.org`)),
        });
    console.log(`PATCH active, one client, ${REQUESTS} requests per row, keybridge serve on Sentinel`);
    console.table(rows);
  } finally {
    await set.stop();
  }
}

void main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);

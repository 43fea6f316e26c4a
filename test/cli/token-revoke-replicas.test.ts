// A revoked token must not come back after a failover: with `redis.waitReplicas`, `keybridge tokens
// revoke` and `keybridge admin token revoke` wait for replicas like a SCIM write, and say so (exit 1)
// when none confirmed — the operator then knows the revocation is not yet safe.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AdminTokens } from "../../src/admin/admin-tokens";
import { AuditTrail } from "../../src/audit/audit-trail";
import { TenantTokens } from "../../src/scim/tenant-tokens";
import type { RedisClient } from "../../src/store/create-redis-client";
import { startSingleTestRedis, type TestRedis } from "../helpers/test-redis";

const BIN = join(__dirname, "..", "..", "bin", "keybridge.js");
let master: TestRedis;
let replica: TestRedis | undefined;
let redis: RedisClient;
let dir: string;
let configFile: string;

beforeAll(async () => {
  master = await startSingleTestRedis();
  redis = master.client();
  dir = mkdtempSync(join(tmpdir(), "kb-token-ack-"));
  configFile = join(dir, "keybridge.json");
  writeFileSync(
    configFile,
    JSON.stringify({
      redisUrl: master.url,
      redis: { waitReplicas: 1, waitTimeoutMs: 200 },
      tenants: [{ id: "demo", displayName: "Demo", kind: "entra" }],
    }),
  );
});
afterAll(async () => {
  redis.disconnect();
  await replica?.stop();
  await master.stop();
  rmSync(dir, { recursive: true, force: true });
});

function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, KEYBRIDGE_CONFIG: configFile, REDIS_URL: master.url },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
}

test("a revocation no replica confirmed exits 1 and says so; with a replica it exits 0", async () => {
  const scim = new TenantTokens({ redis });
  const admin = new AdminTokens({ redis, audit: new AuditTrail({ redis }) });
  const first = await scim.create("demo");
  const firstAdmin = await admin.create("ops", "viewer", { actor: "test" });

  const unconfirmed = await cli("tokens", "revoke", "--tenant", "demo", "--id", first.id);
  expect(unconfirmed.code).toBe(1);
  expect(unconfirmed.stderr).toMatch(/fewer than 1 replica\(s\) confirmed it/);
  const unconfirmedAdmin = await cli("admin", "token", "revoke", "--id", firstAdmin.id);
  expect(unconfirmedAdmin.code).toBe(1);
  expect(unconfirmedAdmin.stderr).toMatch(/run the revoke again once the replicas are up/);

  replica = await startSingleTestRedis({ extraArgs: ["--replicaof", "127.0.0.1", String(master.port)] });
  for (let i = 0; i < 200; i++) {
    if (/slave0:.*state=online/.test(await redis.info("replication"))) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const second = await scim.create("demo");
  const secondAdmin = await admin.create("ops2", "viewer", { actor: "test" });
  const confirmed = await cli("tokens", "revoke", "--tenant", "demo", "--id", second.id);
  expect(confirmed).toMatchObject({ code: 0, stderr: "" });
  expect(confirmed.stdout).toBe(`token ${second.id} revoked\n`);
  expect((await cli("admin", "token", "revoke", "--id", secondAdmin.id)).code).toBe(0);
  // Either way the token is gone from the master at once.
  expect(await scim.list("demo")).toEqual([]);
}, 60_000);

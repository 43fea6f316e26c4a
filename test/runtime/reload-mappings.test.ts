// A mapping reload (SIGHUP) does what a restart would: queues and workers for a newly declared key
// system, its first resync, the persons its deferred outbox held, and one more try for every person
// needing attention.
import { cpSync, appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RedisClient } from "../../src/store/create-redis-client";
import { readAuditRecords } from "../../src/audit/export-audit";
import { configSchema } from "../../src/config/config-schema";
import { silentLogger } from "../../src/log/logger";
import { MappingHolder } from "../../src/mapping/mapping-holder";
import { JOB_NAMES } from "../../src/reconcile/reconcile-job";
import { redisKeys } from "../../src/store/redis-keys";
import { buildCore, type Core } from "../../src/runtime/build-core";
import { reloadMappings } from "../../src/runtime/reload-mappings";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { MAPPINGS_DIR } from "../integration/pipeline-harness";

let server: TestRedis;
let redis: RedisClient;
let dir: string;
let core: Core;
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  server = await startTestRedis();
  redis = server.client();
  dir = mkdtempSync(join(tmpdir(), "kb-reload-"));
  cpSync(MAPPINGS_DIR, dir, { recursive: true });
  const config = Object.freeze(
    configSchema.parse({
      redisUrl: server.url,
      mappingsDir: dir,
      tenants: [{ id: "acme", displayName: "Acme", kind: "generic" }],
    }),
  );
  core = buildCore(config, silentLogger(), redis, new MappingHolder(dir));
});
afterAll(async () => {
  for (const close of closers) await close();
  await core.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function jobs(system: string) {
  return core.queues.queue(system).getJobs(["waiting", "prioritized", "delayed"]);
}

test("a reload starts queues and workers for a new key system and retries persons needing attention", async () => {
  await core.ledger.flagAttention("acme", {
    system: "lockhall",
    personId: "p1",
    kind: "permanent",
    at: "2026-12-01T00:00:00.000Z",
  });
  // Changed while `gate` could not run (an earlier, unconfigured declaration): waits in its outbox.
  await redis.zadd(redisKeys.deferredPersons("acme", "gate"), 1, "p9");
  appendFileSync(
    join(dir, "key-systems.yaml"),
    "---\napiVersion: keybridge.io/v1\nkind: KeySystem\nid: gate\ndriver: memory\ndescription: Declared later.\n",
  );

  const result = await reloadMappings({
    mappings: core.mappings,
    cores: [core],
    workerCore: core,
    onWorkersStarted: (c) => closers.push(c),
  });
  expect(result).toMatchObject({ ok: true, changed: true });

  expect(core.queues.systems()).toContain("gate");
  expect(closers).toHaveLength(1); // the new system's workers, closed on shutdown
  expect(await redis.zcard(redisKeys.deferredPersons("acme", "gate"))).toBe(0); // enqueued
  // The new system's worker runs its first resync (its scheduler starts one at once).
  const deadline = Date.now() + 15_000;
  const gateResyncDone = async () =>
    (await readAuditRecords(redis, {})).some((r) => r.type === "resync.completed" && r.subject.id === "gate");
  while (!(await gateResyncDone()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  expect(await gateResyncDone()).toBe(true);
  const retried = (await jobs("lockhall")).filter((j) => j.name === JOB_NAMES.reconcile);
  expect(retried.map((j) => j.data.personId)).toEqual(["p1"]);
  const [loaded] = await readAuditRecords(redis, {});
  expect(loaded).toMatchObject({ type: "mappings.loaded", data: { changed: true } });
});

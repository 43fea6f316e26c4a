// A key system declared in the mappings but without connection settings gets no queue jobs (nobody can
// run them, and one per person and change piled up for ever): the person waits in that system's
// deferred outbox, does not stay dirty for the sweeper, and is enqueued once the system is configured.
import { join } from "node:path";
import type { RedisClient } from "../../src/store/create-redis-client";
import { configSchema } from "../../src/config/config-schema";
import { silentLogger } from "../../src/log/logger";
import { MappingHolder } from "../../src/mapping/mapping-holder";
import { buildCore, type Core } from "../../src/runtime/build-core";
import { releaseDeferred } from "../../src/runtime/release-deferred";
import { redisKeys } from "../../src/store/redis-keys";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";

const SHIPPED_MAPPINGS = join(__dirname, "..", "..", "mappings");
let server: TestRedis;
let redis: RedisClient;
const cores: Core[] = [];

function core(keySystems: Record<string, unknown> = {}): Core {
  const config = Object.freeze(
    configSchema.parse({ redisUrl: server.url, mappingsDir: SHIPPED_MAPPINGS, keySystems }),
  );
  const built = buildCore(config, silentLogger(), redis, new MappingHolder(SHIPPED_MAPPINGS));
  cores.push(built);
  return built;
}

async function jobCount(c: Core, system: string): Promise<number> {
  const counts = await c.queues.queue(system).getJobCounts("waiting", "prioritized", "delayed");
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

beforeAll(async () => {
  server = await startTestRedis();
  redis = server.client();
});
afterAll(async () => {
  for (const c of cores) await c.close();
  await server.stop();
});

test("a change defers unconfigured systems, enqueues configured ones, and releases on configuration", async () => {
  const unconfigured = core();
  const change = {
    tenant: "demo",
    correlationId: "req-1",
    resourceType: "User" as const,
    resourceId: "p1",
    operation: "create" as const,
    persons: [{ personId: "p1", kind: "created" as const, generation: 1 }],
    at: "2026-12-01T00:00:00.000Z",
  };
  await unconfigured.hook(change);
  await unconfigured.hook({ ...change, correlationId: "req-2" });

  expect(await jobCount(unconfigured, "demo")).toBe(1); // the memory demo system needs no settings
  expect(await jobCount(unconfigured, "main-iloq")).toBe(0);
  expect(await redis.zrange(redisKeys.deferredPersons("demo", "main-iloq"), "0", "-1")).toEqual(["p1"]);
  expect(await redis.zcard(redisKeys.deferredPersons("demo", "substations-cliq"))).toBe(1);

  // Reconciled by the one configured system, the person is clean: the sweeper has nothing to repeat.
  await redis.set(redisKeys.personGeneration("demo", "p1"), "1");
  await redis.zadd(redisKeys.dirtyPersons("demo"), 1, "p1");
  expect(await unconfigured.dirty.markReconciled("demo", "demo", "p1", 1)).toBe("clean");

  const configured = core({ "main-iloq": { options: { baseUrl: "http://127.0.0.1:1" } } });
  expect(await releaseDeferred(configured, ["main-iloq", "substations-cliq"], "release-1")).toBe(1);
  expect(await jobCount(configured, "main-iloq")).toBe(1);
  expect(await redis.zcard(redisKeys.deferredPersons("demo", "main-iloq"))).toBe(0);
  expect(await redis.zcard(redisKeys.deferredPersons("demo", "substations-cliq"))).toBe(1);
});

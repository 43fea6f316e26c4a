// Reports and gauges that walk keys (access register, pending revocations) must see every master of a
// Redis Cluster: SCAN on a cluster client would answer from one node only.
import type { Cluster } from "ioredis";
import { redisMasters } from "../../src/store/create-redis-client";
import { redisKeys } from "../../src/store/redis-keys";
import { scanKeys } from "../../src/store/scan-keys";
import type { TestRedis } from "../helpers/test-redis";
import { startTestRedisCluster } from "../helpers/test-redis-cluster";

let cluster: TestRedis;

beforeAll(async () => {
  cluster = await startTestRedisCluster();
}, 30_000);
afterAll(() => cluster.stop());

test("scanKeys finds the ledger keys of tenants whose slots live on different masters", async () => {
  const redis = cluster.client() as Cluster;
  const tenants = Array.from({ length: 12 }, (_, i) => `tenant-${i}`);
  for (const tenant of tenants) await redis.hset(redisKeys.grantLedger(tenant, "iloq", "p1"), "door", "{}");
  // The tenants' hash tags spread over all three masters, so one node's SCAN cannot see them all.
  const perNode = await Promise.all(redisMasters(redis).map((node) => node.dbsize()));
  expect(perNode.filter((n) => n > 0).length).toBe(3);
  const found: string[] = [];
  for await (const keys of scanKeys(redis, "{kb:*}:ledger:*", 100)) found.push(...keys);
  expect(found.sort()).toEqual(tenants.map((t) => redisKeys.grantLedger(t, "iloq", "p1")).sort());
});

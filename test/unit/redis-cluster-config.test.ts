// An operator points keybridge at a Redis Cluster with KEYBRIDGE_REDIS_CLUSTER_NODES; the request path's
// fail-fast options must reach the cluster client (offline queue) and each node (timeouts, password).
import { ConfigError } from "../../src/config/config-error";
import { configSchema } from "../../src/config/config-schema";
import { loadConfig } from "../../src/config/load-config";
import { replicasToWaitFor } from "../../src/config/redis-schema";
import { clusterOptionsFor } from "../../src/store/create-redis-client";
import { REQUEST_PATH_REDIS_OPTIONS } from "../../src/store/redis-client-options";

test("KEYBRIDGE_REDIS_CLUSTER_NODES becomes redis.clusterNodes; a bad node is refused with its path", () => {
  const config = loadConfig({ KEYBRIDGE_REDIS_CLUSTER_NODES: "10.0.0.1:7000, redis-b:7001" });
  expect(config.redis.clusterNodes).toEqual(["10.0.0.1:7000", "redis-b:7001"]);
  expect(loadConfig({}).redis.clusterNodes).toBeUndefined();
  let thrown: unknown;
  try {
    loadConfig({ KEYBRIDGE_REDIS_CLUSTER_NODES: "10.0.0.1" });
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(ConfigError);
  expect(String((thrown as ConfigError).violations)).toMatch(/redis\.clusterNodes\.0/);
});

test("the request path's options are split between the cluster and its nodes; redisUrl gives the password", () => {
  const options = clusterOptionsFor("redis://:s3cret@ignored:1/", REQUEST_PATH_REDIS_OPTIONS);
  expect(options.enableOfflineQueue).toBe(false);
  expect(options.enableAutoPipelining).toBe(true);
  expect(options.lazyConnect).toBe(true);
  expect(options.redisOptions).toMatchObject({
    password: "s3cret",
    commandTimeout: 2_000,
    maxRetriesPerRequest: 1,
  });
  expect(options.redisOptions).not.toHaveProperty("enableOfflineQueue");
});

test("a cluster with replicas can confirm writes: waitReplicas is taken with clusterNodes, 0 unless set", () => {
  const nodes = ["10.0.0.1:7000"];
  expect(replicasToWaitFor(configSchema.parse({ redis: { clusterNodes: nodes } }).redis)).toBe(0);
  const confirmed = configSchema.safeParse({ redis: { clusterNodes: nodes, waitReplicas: 1 } });
  expect(confirmed.success && replicasToWaitFor(confirmed.data.redis)).toBe(1);
  // Where it cannot work, it is still refused: a cluster and sentinels at once.
  expect(configSchema.safeParse({ redis: { clusterNodes: nodes, sentinels: ["h:1"] } }).success).toBe(false);
});

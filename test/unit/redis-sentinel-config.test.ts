// The `redis` settings: sentinels from the file or KEYBRIDGE_REDIS_SENTINELS, the replica count a write
// waits for (1 with sentinels unless set), and the ioredis options they become (sentinel-options.ts).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { configSchema } from "../../src/config/config-schema";
import { loadConfig } from "../../src/config/load-config";
import { replicasToWaitFor } from "../../src/config/redis-schema";
import { connectRedisOnce } from "../../src/store/connect-redis-once";
import { REQUEST_PATH_REDIS_OPTIONS } from "../../src/store/redis-client-options";
import { reconnectOnReadOnly, sentinelOptions } from "../../src/store/sentinel-options";
import { freePort } from "../helpers/test-redis";

function configFile(raw: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), "kb-redis-config-")), "keybridge.json");
  writeFileSync(file, JSON.stringify(raw));
  return file;
}

it("reads sentinels and the master's name from the environment, keeping the file's other redis keys", () => {
  const file = configFile({ redis: { sentinels: ["10.0.0.9:26379"], waitTimeoutMs: 800 } });
  const config = loadConfig({
    KEYBRIDGE_CONFIG: file,
    KEYBRIDGE_REDIS_SENTINELS: "s1.example:26379, s2.example:26380",
    KEYBRIDGE_REDIS_SENTINEL_NAME: "keys",
  });
  expect(config.redis.sentinels).toEqual(["s1.example:26379", "s2.example:26380"]);
  expect(config.redis.sentinelName).toBe("keys");
  expect(config.redis.waitTimeoutMs).toBe(800);
});

it("waits for one replica with sentinels and none without, unless told otherwise", () => {
  expect(replicasToWaitFor(configSchema.parse({}).redis)).toBe(0);
  expect(replicasToWaitFor(configSchema.parse({ redis: { sentinels: ["h:1"] } }).redis)).toBe(1);
  expect(
    replicasToWaitFor(configSchema.parse({ redis: { sentinels: ["h:1"], waitReplicas: 2 } }).redis),
  ).toBe(2);
  expect(
    replicasToWaitFor(configSchema.parse({ redis: { sentinels: ["h:1"], waitReplicas: 0 } }).redis),
  ).toBe(0);
});

it("refuses a sentinel address without a port, naming the key", () => {
  const result = configSchema.safeParse({ redis: { sentinels: ["sentinel.example"] } });
  expect(result.success).toBe(false);
  expect(result.error?.issues[0]?.path).toEqual(["redis", "sentinels", 0]);
});

it("turns the settings into ioredis Sentinel options that keep the role's own options", () => {
  const config = configSchema.parse({
    redis: { sentinels: ["127.0.0.1:26379", "[::1]:26380"], sentinelPasswordSecret: "SENTINEL_PW" },
    secrets: { SENTINEL_PW: "s3cret" },
  });
  const options = sentinelOptions(config, REQUEST_PATH_REDIS_OPTIONS);
  expect(options).toMatchObject({
    sentinels: [
      { host: "127.0.0.1", port: 26379 },
      { host: "::1", port: 26380 },
    ],
    name: "mymaster",
    role: "master",
    sentinelPassword: "s3cret",
    enableOfflineQueue: false,
    commandTimeout: 2_000,
  });
  expect(options?.password).toBeUndefined();
  expect(sentinelOptions(configSchema.parse({}), {})).toBeUndefined();
});

it("refuses to start when a named Redis secret is not set", () => {
  const config = configSchema.parse({ redis: { sentinels: ["h:1"], passwordSecret: "REDIS_PW" } });
  expect(() => sentinelOptions(config, {})).toThrow(/redis\.passwordSecret names REDIS_PW/);
});

it("reconnects (and resends) when a demoted master answers READONLY, and only then", () => {
  expect(reconnectOnReadOnly(new Error("READONLY You can't write against a read only replica."))).toBe(2);
  expect(reconnectOnReadOnly(new Error("ERR wrong number of arguments"))).toBe(false);
});

it("names the sentinels, in one line, when none of them answers at start-up", async () => {
  const port = await freePort();
  const config = configSchema.parse({ redis: { sentinels: [`127.0.0.1:${port}`] } });
  await expect(connectRedisOnce(config)).rejects.toThrow(
    new RegExp(
      `cannot reach Redis at master mymaster of sentinels 127\\.0\\.0\\.1:${port} .*check redis\\.sentinels`,
    ),
  );
});

// The composition root's lifecycle: `start` runs the API and the workers on one core (one set of
// connections), and a start-up that fails half-way (the port is taken) closes everything it opened,
// so a supervisor's retry does not leak Redis connections.
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import type { RedisClient } from "../../src/store/create-redis-client";
import { parseConfig } from "../../src/config/load-config";
import { silentLogger } from "../../src/log/logger";
import { startProcesses } from "../../src/runtime/start-processes";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";

const MAPPINGS = join(__dirname, "../../mappings");

async function clientCount(redis: RedisClient): Promise<number> {
  const list = String(await redis.call("CLIENT", "LIST"));
  return list.split("\n").filter((line) => line.trim().length > 0).length;
}

async function settledCount(redis: RedisClient): Promise<number> {
  // Disconnects are asynchronous on the server side: wait until the count stops changing.
  let last = -1;
  for (let i = 0; i < 40; i++) {
    const now = await clientCount(redis);
    if (now === last) return now;
    last = now;
    await new Promise((r) => setTimeout(r, 50));
  }
  return last;
}

describe("startProcesses", () => {
  let redis: TestRedis;
  let probe: RedisClient;
  beforeAll(async () => {
    redis = await startTestRedis();
    probe = redis.client();
  });
  afterAll(async () => {
    probe.disconnect();
    await redis.stop();
  });

  it("start shares one core: fewer Redis connections than serve and worker side by side", async () => {
    const config = parseConfig({ redisUrl: redis.url, port: 0, host: "127.0.0.1", mappingsDir: MAPPINGS });
    const base = await settledCount(probe);
    const count = async (roles: { api: boolean; workers: boolean }) => {
      const running = await startProcesses(config, roles, { logger: silentLogger() });
      const opened = (await settledCount(probe)) - base;
      await running.close();
      await settledCount(probe);
      return opened;
    };
    const serve = await count({ api: true, workers: false });
    const worker = await count({ api: false, workers: true });
    const start = await count({ api: true, workers: true });
    // serve and worker each hold a core (its client and its queue connection); start holds one core
    // and one extra connection for the BullMQ workers, so it saves one core's worth of connections.
    expect(start).toBeLessThan(serve + worker);
  });

  it("a start-up that fails half-way (port in use) closes every connection it opened", async () => {
    const blocker: Server = await new Promise((resolve) => {
      const s = createServer();
      s.listen(0, "127.0.0.1", () => resolve(s));
    });
    const port = (blocker.address() as { port: number }).port;
    const config = parseConfig({ redisUrl: redis.url, port, host: "127.0.0.1", mappingsDir: MAPPINGS });
    const before = await settledCount(probe);
    try {
      await expect(
        startProcesses(config, { api: true, workers: true }, { logger: silentLogger() }),
      ).rejects.toMatchObject({ code: "EADDRINUSE" });
      expect(await settledCount(probe)).toBe(before);
    } finally {
      blocker.close();
    }
  });
});

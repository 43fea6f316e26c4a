// The lease that lets one worker process poll a tenant's System Log (real Redis): a second process is
// refused while the first holds it, gets it once the holder releases it or dies (TTL), and a holder's
// renewal keeps it.
import type { RedisClient } from "../../../src/store/create-redis-client";
import { ChannelLease } from "../../../src/signals/channel-lease";
import { startTestRedis, type TestRedis } from "../../helpers/test-redis";

describe("ChannelLease", () => {
  let server: TestRedis;
  let redis: RedisClient;

  beforeAll(async () => {
    server = await startTestRedis();
    redis = server.client();
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
  });
  beforeEach(() => server.flush());

  it("is held by one process at a time and renewed by its holder", async () => {
    const a = new ChannelLease(redis, "{kb:t}:lease", "process-a", 10_000);
    const b = new ChannelLease(redis, "{kb:t}:lease", "process-b", 10_000);
    expect(await a.hold()).toBe(true);
    expect(await b.hold()).toBe(false);
    expect(await a.hold()).toBe(true);
    await b.release();
    expect(await b.hold()).toBe(false);
    await a.release();
    expect(await b.hold()).toBe(true);
  });

  it("passes to another process when the holder stops renewing", async () => {
    const dead = new ChannelLease(redis, "{kb:t}:lease", "dead", 100);
    const next = new ChannelLease(redis, "{kb:t}:lease", "next", 10_000);
    expect(await dead.hold()).toBe(true);
    await new Promise((r) => setTimeout(r, 150));
    expect(await next.hold()).toBe(true);
    expect(await dead.hold()).toBe(false);
  });
});

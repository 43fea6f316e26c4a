import { startTestRedis } from "../helpers/test-redis";

describe("private test redis", () => {
  it("keeps data across a restart when append-only is on", async () => {
    const redis = await startTestRedis({ appendOnly: true });
    try {
      const c = redis.client();
      await c.set("k", "v");
      await redis.restart();
      expect(await c.get("k")).toBe("v");
    } finally {
      await redis.stop();
    }
  });
});

// WAIT (redis.waitReplicas) blocks the connection it runs on until the replicas confirm or the timeout
// passes. buildCore therefore gives directory writes a connection of their own: a write waiting for a
// replica must not hold up the reads (and the admission step) that the request path sends meanwhile.
import { join } from "node:path";
import { parseConfig } from "../../src/config/load-config";
import { isBridgeError } from "../../src/errors/bridge-error";
import { silentLogger } from "../../src/log/logger";
import { MappingHolder } from "../../src/mapping/mapping-holder";
import { buildCore } from "../../src/runtime/build-core";
import { RedisDirectoryStore } from "../../src/store/directory-store";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { ctx, userInput } from "../store/store-fixture";

let redis: TestRedis;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.stop();
});

it("reads are answered while a directory write waits for a replica that never confirms", async () => {
  const client = redis.client();
  // The test Redis has no replica: every WAIT runs to its timeout (the longest the config allows).
  const config = parseConfig({ redis: { waitReplicas: 1, waitTimeoutMs: 1_500 } });
  const core = buildCore(
    config,
    silentLogger(),
    client,
    new MappingHolder(join(__dirname, "../integration/mappings")),
  );
  try {
    const plain = new RedisDirectoryStore({ redis: client });
    const { id } = (await plain.createUser("t", userInput("ada@example.org"), ctx)).resource;
    let writeSettled = false;
    const write = core.store
      .updateUser("t", id, (u) => ({ ...u, active: false }), ctx)
      .then(
        () => "ok",
        (err: unknown) => (isBridgeError(err, "Unavailable") ? "unavailable" : err),
      )
      .finally(() => {
        writeSettled = true;
      });
    // Once the write's WAIT blocks its connection (seen from a connection of the test's own)…
    const observer = redis.client();
    try {
      while (!/cmd=wait\b/.test(String(await observer.call("CLIENT", "LIST")))) {
        await new Promise((r) => setTimeout(r, 5));
      }
    } finally {
      observer.disconnect();
    }
    // …two reads one after the other: on a shared connection the first would wait behind the WAIT,
    // and the second could only start once the write had settled.
    expect((await core.store.getUser("t", id))?.id).toBe(id);
    expect((await core.store.getUser("t", id))?.id).toBe(id);
    expect(writeSettled).toBe(false);
    // The write itself still waited for its replica and was not acknowledged.
    expect(await write).toBe("unavailable");
  } finally {
    await core.close();
  }
});

// An operator who sets redis.waitReplicas on a Redis without (enough) replicas gets a 503 for every SCIM
// write. buildCore says so once at start, naming the setting, instead of leaving only per-request errors.
import { join } from "node:path";
import { Writable } from "node:stream";
import { parseConfig } from "../../src/config/load-config";
import { createLogger } from "../../src/log/logger";
import { MappingHolder } from "../../src/mapping/mapping-holder";
import { buildCore } from "../../src/runtime/build-core";
import { MSG_TOO_FEW_REPLICAS, warnIfTooFewReplicas } from "../../src/store/replica-ack";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { waitFor } from "../integration/pipeline-harness";

let redis: TestRedis;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.stop();
});

function logLines(): { lines: Array<Record<string, unknown>>; stream: Writable } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, stream };
}

it("warns at start when waitReplicas asks for more replicas than the master has", async () => {
  const { lines, stream } = logLines();
  const core = buildCore(
    parseConfig({ redis: { waitReplicas: 1 } }),
    createLogger("info", stream),
    redis.client(),
    new MappingHolder(join(__dirname, "../integration/mappings")),
  );
  try {
    const warning = await waitFor(
      async () => lines.find((x) => x.msg === MSG_TOO_FEW_REPLICAS),
      5_000,
      "the replica warning",
    );
    expect(warning).toMatchObject({ level: 40, waitReplicas: 1, connectedReplicas: 0 });
  } finally {
    await core.close();
  }
});

it("says nothing when no replica is asked for", async () => {
  const { lines, stream } = logLines();
  const logger = createLogger("info", stream);
  await warnIfTooFewReplicas(redis.client(), { replicas: 0, timeoutMs: 100 }, logger);
  expect(lines).toEqual([]);
});

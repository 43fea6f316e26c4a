// Logs never carry personal data or secrets (issue #9 item 5): Redis reply errors lose their command
// arguments, bad input is one warning without stack or body, and repeated warnings are rate limited.
import { Writable } from "node:stream";
import { Redis } from "ioredis";
import { createLogger } from "../../src/log/logger";
import { WarnLimiter } from "../../src/log/warn-limiter";
import { startScimHarness } from "../scim/scim-harness";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";

const PERSONAL = "ada.lovelace@example.org";

function capture(): { lines: () => Record<string, unknown>[]; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return {
    stream,
    lines: () =>
      chunks
        .join("")
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => redis.stop());

test("a Redis reply error is logged with its message and stack but without the command's arguments", async () => {
  const client = new Redis(redis.url);
  const out = capture();
  const logger = createLogger("info", out.stream);
  try {
    // A script that fails on a directory-like value: ioredis attaches {name, args} to the ReplyError.
    const err = await client
      .eval(
        "return redis.error_reply('ERR cannot index value')",
        1,
        "{kb:okta}:users",
        `{"userName":"${PERSONAL}"}`,
      )
      .catch((e: unknown) => e);
    expect(JSON.stringify((err as { command?: unknown }).command)).toContain(PERSONAL);
    logger.error({ err }, "scim request failed");
    const [line] = out.lines();
    expect(JSON.stringify(line)).not.toContain(PERSONAL);
    expect(line?.err).toMatchObject({
      message: expect.stringContaining("cannot index value"),
      stack: expect.any(String),
    });
    expect(line?.err).not.toHaveProperty("command");
  } finally {
    client.disconnect();
  }
});

test("a reply error wrapped as the cause of another error leaks nothing either", async () => {
  const client = new Redis(redis.url);
  const out = capture();
  try {
    const cause = await client
      .eval("return redis.error_reply('ERR x')", 0, PERSONAL)
      .catch((e: unknown) => e);
    const wrapped = Object.assign(new Error("write failed", { cause }), { lastError: cause });
    createLogger("info", out.stream).error({ err: wrapped }, "failed");
    expect(JSON.stringify(out.lines())).not.toContain(PERSONAL);
  } finally {
    client.disconnect();
  }
});

test("repeated identical warnings are logged once per window, then with the count of those held back", () => {
  const out = capture();
  let now = 0;
  const limiter = new WarnLimiter(createLogger("info", out.stream), 10_000, () => now);
  for (let i = 0; i < 5; i++) limiter.warn("400:invalidSyntax", { status: 400 }, "scim request rejected");
  limiter.warn("401:", { status: 401 }, "scim request rejected");
  expect(out.lines().map((l) => l.status)).toEqual([400, 401]);
  now = 10_000;
  limiter.warn("400:invalidSyntax", { status: 400 }, "scim request rejected");
  expect(out.lines().at(-1)).toMatchObject({ status: 400, suppressed: 4, level: 40 });
});

test("bad SCIM input is one warning without stack, detail or body, however often it is sent", async () => {
  const out = capture();
  const h = await startScimHarness({ logger: createLogger("info", out.stream) });
  try {
    for (let i = 0; i < 20; i++) {
      const res = await h.call("okta", "POST", "/Users", `{"userName":"${PERSONAL}", oops}`);
      expect(res.status).toBe(400);
    }
    // Every request also has its info-level access line (request-log.ts); the warning comes once.
    const lines = out.lines().filter((l) => Number(l.level) >= 40);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, status: 400, scimType: "invalidSyntax", tenant: "okta" });
    expect(JSON.stringify(lines)).not.toMatch(/stack|ada\.lovelace/);
  } finally {
    await h.stop();
  }
});

// `keybridge audit verify|export` against a private Redis named by REDIS_URL, as an operator runs it.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import type { RedisClient } from "../../src/store/create-redis-client";
import type { AuditRecord } from "../../src/audit/audit-record";
import { AuditTrail } from "../../src/audit/audit-trail";
import { createAuditCommand } from "../../src/cli/audit-command";
import { loadConfig } from "../../src/config/load-config";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { readEntries, steppingClock, tamper, userEvent } from "./audit-fixtures";

let server: TestRedis;
let redis: RedisClient;
let dir: string;

function capture() {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (c: Buffer) => {
    text += c.toString("utf8");
  });
  return { stream, text: () => text };
}

async function run(...argv: string[]) {
  const stdout = capture();
  const stderr = capture();
  const command = createAuditCommand({
    loadConfig: () => loadConfig({ REDIS_URL: server.url }),
    stdout: stdout.stream,
    stderr: stderr.stream,
    operator: () => "operator:test",
  });
  const code = await command.run(argv);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

beforeAll(async () => {
  server = await startTestRedis();
  redis = server.client();
  dir = mkdtempSync(join(tmpdir(), "kb-audit-"));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await server.stop();
});
beforeEach(async () => {
  await server.flush();
  const trail = new AuditTrail({ redis, clock: steppingClock("2026-02-01T00:00:00.000Z", 60_000) });
  for (let i = 0; i < 10; i++) await trail.append(userEvent(i));
});

test("verify prints ok, the count and the head to keep as an anchor", async () => {
  const result = await run("verify");
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^ok: 10 records; head 10:[0-9a-f]{64}\n$/);
  const anchor = /head (\S+)/.exec(result.stdout)![1]!;
  expect((await run("verify", "--anchor", anchor)).code).toBe(0);
});

test("verify exits 1 and names the seq of a tampered record", async () => {
  await tamper(redis, (t) =>
    t.map((x, i) => (i === 2 ? x.replace('"outcome":"success"', '"outcome":"noop"') : x)),
  );
  const result = await run("verify");
  expect(result.code).toBe(1);
  expect(result.stdout).toBe("TAMPERED: seq 3 changed; 3 records read\n");
});

test("export writes the window as JSON Lines to a file and records that it was exported", async () => {
  const out = join(dir, "window.jsonl");
  const result = await run(
    "export",
    "--since",
    "2026-02-01T00:02:00Z",
    "--until",
    "2026-02-01T00:05:00Z",
    "--out",
    out,
  );
  expect(result).toMatchObject({ code: 0, stdout: "", stderr: "exported 3 records\n" });
  const lines = readFileSync(out, "utf8").trim().split("\n");
  expect(lines.map((l) => (JSON.parse(l) as AuditRecord).seq)).toEqual([3, 4, 5]);
  const last = JSON.parse((await readEntries(redis)).at(-1)!) as AuditRecord;
  expect(last).toMatchObject({
    type: "operator.audit_exported",
    actor: "operator:test",
    data: { since: "2026-02-01T00:02:00.000Z", until: "2026-02-01T00:05:00.000Z", count: 3 },
  });
  expect((await run("verify")).code).toBe(0);
});

test("export goes to stdout by default and filters by person", async () => {
  const result = await run("export", "--person", "p2");
  expect(result.code).toBe(0);
  const seqs = result.stdout
    .trim()
    .split("\n")
    .map((l) => (JSON.parse(l) as AuditRecord).seq);
  expect(seqs).toEqual([3, 8]);
});

test("export refuses to overwrite an existing file", async () => {
  const out = join(dir, "existing.jsonl");
  writeFileSync(out, "earlier evidence\n");
  const result = await run("export", "--out", out);
  expect(result.code).toBe(2);
  expect(readFileSync(out, "utf8")).toBe("earlier evidence\n");
});

test("bad options and unknown subcommands print usage and exit 2", async () => {
  expect((await run("export", "--since", "yesterday")).code).toBe(2);
  expect(
    (await run("export", "--since", "2026-02-02T00:00:00Z", "--until", "2026-02-01T00:00:00Z")).code,
  ).toBe(2);
  expect((await run("export", "--bogus")).code).toBe(2);
  expect((await run("verify", "--anchor", "12")).code).toBe(2);
  const none = await run("rewrite");
  expect(none.code).toBe(2);
  expect(none.stderr).toContain("keybridge audit verify");
});

test("`audit export | head` ends quietly: a reader closing the pipe early is not an error", async () => {
  const trail = new AuditTrail({ redis, clock: steppingClock("2026-03-01T00:00:00.000Z", 1000) });
  for (let i = 0; i < 600; i++) await trail.append(userEvent(i));
  const bin = join(__dirname, "..", "..", "bin", "keybridge.js");
  const child = spawn(process.execPath, [bin, "audit", "export"], {
    env: { ...process.env, REDIS_URL: server.url, ...clusterEnv() },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  // Like `head -n 1`: read the first chunk, then close the pipe.
  child.stdout.once("data", () => child.stdout.destroy());
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  expect(stderr).not.toMatch(/EPIPE/);
  expect(code).toBe(0);
});

function clusterEnv(): Record<string, string> {
  const nodes = server.config.redis?.clusterNodes;
  return nodes ? { KEYBRIDGE_REDIS_CLUSTER_NODES: nodes.join(",") } : {};
}

// The CLI behaves: `--help` on any command prints its usage and starts nothing (it used to start a
// second service on 0.0.0.0:8080), and failures are one line naming the cause and the fix.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectRedisOnce } from "../../src/store/connect-redis-once";
import { commandUsage, wantsHelp } from "../../src/cli/command-help";
import { commands } from "../../src/cli/commands";
import { describeCliError } from "../../src/cli/describe-cli-error";
import { freePort } from "../helpers/test-redis";

const BIN = join(__dirname, "..", "..", "bin", "keybridge.js");

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

test("`keybridge start --help` prints its usage, exits 0 and never listens", async () => {
  const port = await freePort();
  const redisPort = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), "kb-help-"));
  try {
    const child = spawn(process.execPath, [BIN, "start", "--help"], {
      env: {
        ...process.env,
        PORT: String(port),
        REDIS_URL: `redis://127.0.0.1:${redisPort}`,
        KEYBRIDGE_DATA_DIR: dataDir,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (c) => (stdout += c));
    let sawListener = false;
    const probe = setInterval(async () => {
      if ((await listening(port)) || (await listening(redisPort))) sawListener = true;
    }, 100);
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        resolve(null);
      }, 30_000);
      child.once("exit", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    clearInterval(probe);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: keybridge start\n/);
    expect(sawListener).toBe(false);
    expect(await listening(port)).toBe(false);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 40_000);

test("`keybridge worker` with an unreachable REDIS_URL exits 1 with one line naming REDIS_URL, no stack", async () => {
  const redisPort = await freePort();
  const child = spawn(process.execPath, [BIN, "worker"], {
    env: { ...process.env, REDIS_URL: `redis://127.0.0.1:${redisPort}` },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (c) => (stderr += c));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve(null);
    }, 30_000);
    child.once("exit", (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  expect(code).toBe(1);
  expect(stderr).toBe(
    `keybridge: cannot reach Redis at redis://127.0.0.1:${redisPort} (connect ECONNREFUSED 127.0.0.1:${redisPort}): set REDIS_URL (or redisUrl in KEYBRIDGE_CONFIG) to the Redis the keybridge server uses\n`,
  );
}, 40_000);

test("every command has a usage of its own that --help prints", () => {
  expect(wantsHelp(["check", "--help"])).toBe(true);
  expect(wantsHelp(["-h"])).toBe(true);
  expect(wantsHelp(["--tenant", "t"])).toBe(false);
  for (const command of commands) {
    expect(command.usage).toBeDefined();
    expect(commandUsage(command)).toContain(`keybridge ${command.name}`);
  }
});

test("Redis unreachable is one line naming REDIS_URL", async () => {
  const port = await freePort();
  const err = await connectRedisOnce(`redis://:hunter2@127.0.0.1:${port}`).catch((e: unknown) => e);
  const line = describeCliError(err);
  expect(line).toContain(`cannot reach Redis at redis://:***@127.0.0.1:${port}`);
  expect(line).toContain("set REDIS_URL");
  expect(line).not.toContain("hunter2");
  expect(line).not.toContain("\n");
});

test("a port in use names PORT; an unknown failure points at --debug, without a stack", () => {
  const inUse = Object.assign(new Error("listen EADDRINUSE: address already in use 0.0.0.0:8080"), {
    code: "EADDRINUSE",
    port: 8080,
    address: "0.0.0.0",
  });
  expect(describeCliError(inUse)).toBe(
    "port 8080 on 0.0.0.0 is already in use: stop the other process or set PORT (or port in KEYBRIDGE_CONFIG)",
  );
  expect(describeCliError(new Error("boom"))).toBe("boom (run again with --debug for the stack)");
});

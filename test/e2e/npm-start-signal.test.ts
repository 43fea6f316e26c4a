// `npm start` is how the README starts keybridge, and a process manager stops it with SIGTERM to npm.
// npm forwards the signal to its script's process; if that were a shell (`sh -c node …`) the signal
// would stop there and the API and worker processes would live on as orphans, still holding the port
// and their Redis leases. The start script therefore `exec`s node: this test stops npm and checks that
// every process it started is gone.
import { spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, startTestRedis, type TestRedis } from "../helpers/test-redis";
import { until } from "./cli-spawn";

const ROOT = join(__dirname, "../..");

/** Every descendant pid of `pid` (children first found with pgrep -P, recursively). */
function descendants(pid: number): number[] {
  let out = "";
  try {
    out = execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" });
  } catch {
    return []; // pgrep exits 1 when there is none
  }
  const children = out.split("\n").filter(Boolean).map(Number);
  return children.flatMap((child) => [child, ...descendants(child)]);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("npm start", () => {
  let redis: TestRedis;
  let started: number[] = [];

  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    for (const pid of started) if (alive(pid)) process.kill(pid, "SIGKILL");
    await redis.stop();
  });

  it("stops the API and its worker process when npm gets SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kb-npm-start-"));
    const configFile = join(dir, "keybridge.json");
    writeFileSync(
      configFile,
      JSON.stringify({
        host: "127.0.0.1",
        logLevel: "warn",
        mappingsDir: join(ROOT, "mappings"),
        tenants: [{ id: "demo", displayName: "Demo", kind: "entra" }],
        keySystems: { demo: { options: { redisUrl: redis.url } } },
      }),
    );
    const port = await freePort();
    const npm = spawn("npm", ["start", "--silent"], {
      cwd: ROOT,
      env: { ...process.env, KEYBRIDGE_CONFIG: configFile, REDIS_URL: redis.url, PORT: String(port) },
      stdio: "ignore",
    });
    const npmExited = new Promise((resolve) => npm.once("exit", resolve));
    await until(
      "the API to answer /readyz",
      async () =>
        (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => undefined))?.ok ? true : undefined,
      60_000,
    );
    // The API process and its supervised worker process (the worker is forked once the API is up).
    started = await until("the worker process", () => {
      const pids = descendants(npm.pid as number);
      return pids.length >= 2 ? pids : undefined;
    });

    npm.kill("SIGTERM");
    await npmExited;
    await until(
      "every process npm start began to exit",
      () => (started.some(alive) ? undefined : true),
      20_000,
    );
    expect(started.filter(alive)).toEqual([]);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => "refused")) === "refused").toBe(true);
  }, 90_000);
});

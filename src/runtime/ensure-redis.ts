// First-run convenience for `npm start`: when nothing answers at REDIS_URL and it points at this machine,
// start a private redis-server (AOF on, noeviction, data under dataDir, loopback only) and say so.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import type { Logger } from "../log/logger";
import { connectRedisOnce } from "../store/connect-redis-once";

export const REDIS_INSTALL_HINT =
  "no Redis answers at REDIS_URL and redis-server is not installed: install Redis 7 (Debian/Ubuntu: apt-get install redis-server) or set REDIS_URL";

export interface EnsuredRedis {
  url: string;
  /** Set when keybridge started its own redis-server; stopped on shutdown. */
  child?: ChildProcess;
}

/** ok, nothing listening (connection refused), or another failure (auth, timeout…) worth naming as is. */
type Probe = { ok: true } | { ok: false; refused: boolean; cause: string };

async function probeRedis(url: string, timeoutMs?: number): Promise<Probe> {
  try {
    const redis = await connectRedisOnce(url, timeoutMs);
    try {
      await redis.ping();
    } finally {
      redis.disconnect();
    }
    return { ok: true };
  } catch (err) {
    // connectRedisOnce keeps the socket's own error (ECONNREFUSED…) as the cause.
    const e = ((err as { cause?: unknown }).cause ?? err) as { code?: string; message?: string };
    return { ok: false, refused: e.code === "ECONNREFUSED", cause: e.code ?? e.message ?? "unknown error" };
  }
}

async function answers(url: string, timeoutMs?: number): Promise<boolean> {
  return (await probeRedis(url, timeoutMs)).ok;
}

function isLocal(url: URL): boolean {
  return ["127.0.0.1", "localhost", "::1", "[::1]"].includes(url.hostname);
}

function hasRedisServer(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

export async function ensureRedis(redisUrl: string, dataDir: string, logger: Logger): Promise<EnsuredRedis> {
  const first = await probeRedis(redisUrl, 1500);
  if (first.ok) return { url: redisUrl };
  const url = new URL(redisUrl);
  // Only "nothing listens on this machine" is ours to fix; a remote Redis, a password it wants or a
  // timeout is the operator's, so name the cause instead of starting a server on a busy port.
  if (!isLocal(url) || !first.refused)
    throw new Error(
      `Redis at REDIS_URL does not answer (${first.cause}): check REDIS_URL and that Redis runs`,
    );
  if (!hasRedisServer()) throw new Error(REDIS_INSTALL_HINT);
  const dir = resolve(dataDir, "redis");
  mkdirSync(dir, { recursive: true });
  const port = url.port || "6379";
  const child = spawn(
    "redis-server",
    [
      "--port",
      port,
      "--bind",
      "127.0.0.1",
      "--dir",
      dir,
      "--appendonly",
      "yes",
      "--save",
      "",
      "--maxmemory-policy",
      "noeviction",
      "--protected-mode",
      "yes",
    ],
    { stdio: "ignore" },
  );
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    if (await answers(redisUrl, 200)) {
      logger.info({ port, dir }, "started a private redis-server (AOF on, loopback only)");
      return { url: redisUrl, child };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill();
  throw new Error("redis-server did not answer within 5 s");
}

// Runs a Lua script by its SHA1 and loads it on NOSCRIPT (after a Redis restart or failover), without
// defining commands on the injected client.
import { createHash } from "node:crypto";
import type { RedisClient } from "./create-redis-client";

export interface LuaScript {
  source: string;
  sha: string;
}

export function luaScript(source: string): LuaScript {
  return { source, sha: createHash("sha1").update(source).digest("hex") };
}

export async function runScript(
  redis: RedisClient,
  script: LuaScript,
  keys: string[],
  args: (string | Buffer | number)[],
): Promise<unknown> {
  try {
    return await redis.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (!String((err as Error)?.message).startsWith("NOSCRIPT")) throw err;
    return redis.eval(script.source, keys.length, ...keys, ...args);
  }
}

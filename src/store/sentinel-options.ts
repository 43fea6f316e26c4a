// Turns the `redis` settings and a role's client options into ioredis options for Redis Sentinel:
// ioredis asks the sentinels for the master, checks it really is the master (`role: master`), and on a
// failover reconnects to the one the sentinels promote. The client factory calls this for every role.
import type { RedisOptions } from "ioredis";
import { ConfigError } from "../config/config-error";
import { DEFAULT_SENTINEL_NAME } from "../config/redis-schema";
import type { RedisTarget } from "./create-redis-client";

type RedisConfig = Pick<RedisTarget, "redis" | "secrets">;

/** "host:port" or "[v6]:port" as ioredis wants it. */
export function parseHostPort(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(":");
  const host = address.slice(0, at).replace(/^\[(.*)\]$/, "$1");
  return { host, port: Number(address.slice(at + 1)) };
}

function secret(config: RedisConfig, name: string | undefined, key: string): string | undefined {
  if (name === undefined) return undefined;
  const value = config.secrets?.[name];
  if (value === undefined)
    throw new ConfigError(`redis.${key} names ${name}, but KEYBRIDGE_SECRET_${name} is not set`);
  return value;
}

/**
 * A node that became a replica answers writes with READONLY (an old master demoted while we stayed
 * connected to it): reconnect, which asks the sentinels again, and resend the command (ioredis `2`).
 */
export function reconnectOnReadOnly(err: Error): 2 | false {
  return err.message.startsWith("READONLY") ? 2 : false;
}

/** ioredis options for a Sentinel-managed master, or undefined when no sentinels are configured. */
export function sentinelOptions(config: RedisConfig, role: RedisOptions): RedisOptions | undefined {
  const sentinels = config.redis?.sentinels ?? [];
  if (sentinels.length === 0) return undefined;
  const sentinelName = config.redis?.sentinelName ?? DEFAULT_SENTINEL_NAME;
  const options: RedisOptions = {
    ...role,
    sentinels: sentinels.map(parseHostPort),
    name: sentinelName,
    role: "master",
    // Not ioredis' failoverDetector: in ioredis 6.0.0 its +switch-master handler disconnects the
    // connector, and if that lands while the client is reconnecting, connect() fails with "Connection
    // is closed" and the client ends for good (seen in test/e2e/sentinel-failover.test.ts). A killed
    // master closes our socket anyway; a demoted one answers READONLY (below).
    reconnectOnError: reconnectOnReadOnly,
  };
  const sentinelPassword = secret(config, config.redis?.sentinelPasswordSecret, "sentinelPasswordSecret");
  const password = secret(config, config.redis?.passwordSecret, "passwordSecret");
  if (sentinelPassword !== undefined) options.sentinelPassword = sentinelPassword;
  if (password !== undefined) options.password = password;
  // A role that gives up after one attempt (the CLI, the start-up probe) gives up on sentinels too.
  if (role.retryStrategy && role.retryStrategy(1) === null) options.sentinelRetryStrategy = () => null;
  return options;
}

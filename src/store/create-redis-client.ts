// The one place keybridge creates Redis clients: one Redis from `redisUrl`, a Redis Cluster from
// `redis.clusterNodes` (ioredis Cluster), or the master a set of Redis Sentinels names
// (`redis.sentinels`, sentinel-options.ts). Every process, CLI command and BullMQ connection goes through
// here, so the choice of topology is made once, from config.
import { Cluster, type ClusterOptions, Redis, type RedisOptions } from "ioredis";
import type { RedisSettings } from "../config/redis-schema";
import { parseHostPort, sentinelOptions } from "./sentinel-options";

/** A client of either topology; code that needs one node (SCAN, INFO) uses redisMasters below. */
export type RedisClient = Redis | Cluster;

/** The part of the config that says where Redis is (config-schema.ts `redisUrl`, `redis`, `secrets`). */
export interface RedisTarget {
  redisUrl: string;
  redis?: Partial<RedisSettings> | undefined;
  /** Where `redis.passwordSecret` / `redis.sentinelPasswordSecret` are read from. */
  secrets?: Readonly<Record<string, string | undefined>> | undefined;
}

/** What every node of a cluster takes from redisUrl: credentials, TLS and the database (0 on a cluster). */
function urlCredentials(redisUrl: string): RedisOptions {
  const url = new URL(redisUrl);
  const out: RedisOptions = {};
  if (url.username) out.username = decodeURIComponent(url.username);
  if (url.password) out.password = decodeURIComponent(url.password);
  if (url.protocol === "rediss:") out.tls = {};
  return out;
}

/**
 * ioredis Cluster splits the options: the offline queue, auto-pipelining and lazy connect are the
 * cluster's (it queues while it learns the slot map), the rest (timeouts, retries per request,
 * credentials) go to each node connection. A node's own retryStrategy is the cluster's to decide.
 */
export function clusterOptionsFor(redisUrl: string, options: RedisOptions): ClusterOptions {
  const {
    enableOfflineQueue,
    enableAutoPipelining,
    lazyConnect,
    retryStrategy,
    host: _host,
    port: _port,
    path: _path,
    readOnly: _readOnly,
    sentinels: _sentinels,
    db: _db,
    ...nodeOptions
  } = options;
  return {
    ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
    ...(enableAutoPipelining === undefined ? {} : { enableAutoPipelining }),
    ...(lazyConnect === undefined ? {} : { lazyConnect }),
    ...(retryStrategy ? { clusterRetryStrategy: retryStrategy } : {}),
    // A failover moves slots: retry a MOVED/CLUSTERDOWN shortly instead of failing the request.
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    redisOptions: { ...urlCredentials(redisUrl), ...nodeOptions },
  };
}

/**
 * A new client for the configured Redis. `options` are ioredis Redis options (e.g.
 * REQUEST_PATH_REDIS_OPTIONS); on a cluster they are split into cluster and per-node options.
 */
export function createRedisClient(target: RedisTarget, options: RedisOptions = {}): RedisClient {
  const nodes = target.redis?.clusterNodes;
  if (nodes && nodes.length > 0)
    return new Cluster(nodes.map(parseHostPort), clusterOptionsFor(target.redisUrl, options));
  const sentinel = sentinelOptions(target, options);
  if (sentinel) return new Redis(sentinel);
  return new Redis(target.redisUrl, options);
}

/** A second client to the same Redis with some options changed (e.g. no auto-pipelining). */
export function duplicateRedisClient(client: RedisClient, overrides: RedisOptions): RedisClient {
  if (client instanceof Cluster) {
    const { enableAutoPipelining, ...nodeOverrides } = overrides;
    return client.duplicate(undefined, {
      ...(enableAutoPipelining === undefined ? {} : { enableAutoPipelining }),
      redisOptions: { ...client.options.redisOptions, ...nodeOverrides },
    });
  }
  return client.duplicate(overrides);
}

export function isRedisCluster(client: RedisClient): client is Cluster {
  return client instanceof Cluster;
}

/**
 * The node connections that hold data: the client itself on one Redis, every master on a cluster.
 * SCAN, KEYS and INFO keyspace see only the node they run on, so whole-keyspace walks go per master.
 */
export function redisMasters(client: RedisClient): Redis[] {
  return client instanceof Cluster ? client.nodes("master") : [client];
}

// The `redis` settings beyond redisUrl: Redis Cluster seed nodes, Redis Sentinel (failover), and how many replicas must hold a
// SCIM write before it is acknowledged. Secrets are named here, read from KEYBRIDGE_SECRET_<NAME>.
import { z } from "zod";

const hostPort = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, "host:port (an IPv6 address in brackets)");

const secretName = z
  .string()
  .regex(/^[A-Z0-9_]+$/, "upper-case letters, digits and '_' (the <NAME> of KEYBRIDGE_SECRET_<NAME>)");

export const DEFAULT_SENTINEL_NAME = "mymaster";

/** Default of `redis` (zod 4 returns a `.default` value as is, so it is spelled out in full). */
export const DEFAULT_REDIS_SETTINGS = {
  sentinels: [] as string[],
  sentinelName: DEFAULT_SENTINEL_NAME,
  waitTimeoutMs: 1_000,
};

export const redisSchema = z
  .object({
    clusterNodes: z
      .array(hostPort)
      .min(1)
      .optional()
      .describe(
        "Redis Cluster seed nodes (host:port); when set, keybridge connects as a cluster client and redisUrl gives only the password and TLS (env KEYBRIDGE_REDIS_CLUSTER_NODES=h:p,h:p)",
      ),
    sentinels: z
      .array(hostPort)
      .default([])
      .describe(
        "Redis Sentinel addresses (host:port); when set, keybridge asks them for the master and follows failovers, and redisUrl is not used (env KEYBRIDGE_REDIS_SENTINELS=h:p,h:p)",
      ),
    sentinelName: z
      .string()
      .min(1)
      .default(DEFAULT_SENTINEL_NAME)
      .describe("the master's name as the sentinels monitor it (env KEYBRIDGE_REDIS_SENTINEL_NAME)"),
    sentinelPasswordSecret: secretName
      .optional()
      .describe("secret holding the sentinels' password (requirepass of the sentinels), if they have one"),
    passwordSecret: secretName
      .optional()
      .describe("secret holding the password of the master and replicas found through the sentinels"),
    waitReplicas: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe(
        "replicas that must confirm a directory write (Redis WAIT) before the IdP gets 2xx; otherwise 503 and the IdP retries. Default: 1 with sentinels, 0 without",
      ),
    waitTimeoutMs: z
      .number()
      .int()
      .positive()
      .max(1_500)
      .default(DEFAULT_REDIS_SETTINGS.waitTimeoutMs)
      .describe(
        "how long a write waits for its replica confirmations before answering 503 (below the request path's 2 s command timeout)",
      ),
  })
  .strict()
  .refine((r) => !(r.clusterNodes && r.sentinels.length > 0), {
    message: "set either redis.clusterNodes (Redis Cluster) or redis.sentinels (Sentinel), not both",
  });
// redis.waitReplicas works with clusterNodes too: every write touches one tenant's slot, and its WAIT is
// sent to that slot's master on the connection the write took (store/replica-ack.ts).

export type RedisSettings = z.infer<typeof redisSchema>;

/**
 * Replicas a directory write waits for: explicit, else 1 when Sentinel (failover) is in use. A cluster
 * stays at 0 unless set: many run without replicas, where WAIT could never be answered.
 */
export function replicasToWaitFor(settings: RedisSettings): number {
  return settings.waitReplicas ?? (settings.sentinels.length > 0 ? 1 : 0);
}

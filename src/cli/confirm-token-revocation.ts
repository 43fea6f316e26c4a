// A token revocation is a security change: if the Redis master fails before a replica holds it, the
// promoted replica still knows the token and it works again. So, as a SCIM write, a revocation waits
// for `redis.waitReplicas` replicas (default 1 with Sentinel) and says plainly when they did not confirm.
import type { Config } from "../config/config-schema";
import { replicasToWaitFor } from "../config/redis-schema";
import { BridgeError } from "../errors/bridge-error";
import type { RedisClient } from "../store/create-redis-client";
import { confirmReplicated } from "../store/replica-ack";

/**
 * Runs a CLI token command; a revoke is then confirmed by the replicas. Returns the command's exit
 * code, or 1 with a warning on stderr when the revocation is not known to be replicated.
 */
export async function confirmTokenRevocation(
  config: Pick<Config, "redis">,
  redis: RedisClient,
  action: string,
  /** The key the revocation deletes from (on a cluster, WAIT goes to the master of its slot). */
  tokenKey: string,
  run: () => Promise<number>,
  err: (text: string) => void,
): Promise<number> {
  const ack = { replicas: replicasToWaitFor(config.redis), timeoutMs: config.redis.waitTimeoutMs };
  if (action !== "revoke" || ack.replicas === 0) return run();
  try {
    return await confirmReplicated(redis, ack, run, tokenKey);
  } catch (error) {
    if (!(error instanceof BridgeError && error.kind === "Unavailable")) throw error;
    err(
      `the revocation is on the Redis master but fewer than ${ack.replicas} replica(s) confirmed it within ${ack.timeoutMs} ms: ` +
        "a failover now could bring the token back; run the revoke again once the replicas are up\n",
    );
    return 1;
  }
}

// A lease in Redis that lets exactly one process run a tenant's poller: taken with SET NX PX, renewed
// and released only by its holder (compare-and-act scripts). A holder that dies loses it after the TTL.
import type { RedisClient } from "../store/create-redis-client";

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export class ChannelLease {
  constructor(
    private readonly redis: RedisClient,
    private readonly key: string,
    private readonly token: string,
    private readonly ttlMs: number,
  ) {}

  /** Takes the lease or renews ours; false while another process holds it. */
  async hold(): Promise<boolean> {
    const taken = await this.redis.set(this.key, this.token, "PX", this.ttlMs, "NX");
    if (taken === "OK") return true;
    return (await this.redis.eval(RENEW, 1, this.key, this.token, String(this.ttlMs))) === 1;
  }

  async release(): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key, this.token);
  }
}

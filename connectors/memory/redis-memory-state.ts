// Redis-backed state store: the whole simulated key system in one JSON value, changed with WATCH/MULTI
// (optimistic locking) so workers in several processes share one consistent simulated vendor.
import { createRedisClient, type RedisClient } from "../../src/store/create-redis-client";
import { redisKeys } from "../../src/store/redis-keys";
import { emptySimState, type MemoryStateStore, type SimState } from "./memory-state";

const MAX_ATTEMPTS = 50;
const ERR_CONTENDED = "memory driver state: too much contention";

export class RedisMemoryState implements MemoryStateStore {
  private readonly redis: RedisClient;
  private readonly key: string;
  /** WATCH is per connection: transactions of this process run one after another on it. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(redisUrl: string, keyPrefix: string, systemId: string, clusterNodes?: readonly string[]) {
    // maxRetriesPerRequest 1: a Redis outage surfaces quickly instead of hanging the driver call.
    this.redis = createRedisClient(
      { redisUrl, redis: clusterNodes ? { clusterNodes: [...clusterNodes] } : {} },
      { maxRetriesPerRequest: 1, lazyConnect: false },
    );
    this.key = redisKeys.memoryDriverState(keyPrefix, systemId);
  }

  transact<T>(fn: (state: SimState) => T): Promise<T> {
    const run = this.chain.then(() => this.transactNow(fn));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async transactNow<T>(fn: (state: SimState) => T): Promise<T> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      await this.redis.watch(this.key);
      const state = parseState(await this.redis.get(this.key));
      let result: T;
      try {
        result = fn(state);
      } catch (err) {
        await this.redis.unwatch();
        throw err;
      }
      const exec = await this.redis.multi().set(this.key, JSON.stringify(state)).exec();
      if (exec !== null) return result;
      // Another process changed the state between WATCH and EXEC: re-read and re-apply.
    }
    throw new Error(ERR_CONTENDED);
  }

  async read<T>(fn: (state: SimState) => T): Promise<T> {
    return fn(parseState(await this.redis.get(this.key)));
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

function parseState(raw: string | null): SimState {
  return raw === null ? emptySimState() : (JSON.parse(raw) as SimState);
}

// Where the System Log poller of one tenant stands (Redis, the tenant's hash slot): the `since` of its very
// first request, fixed once so a restart before the first page is applied asks for the same events, and
// the `next` link of the last page whose signals were all applied — saved only after that.
import type { RedisClient } from "../../store/create-redis-client";
import { redisKeys } from "../../store/redis-keys";

export interface OktaLogCursor {
  since: string;
  next?: string;
}

export class OktaLogCursorStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly tenant: string,
  ) {}

  /** The cursor; a tenant polled for the first time starts at `firstSince` (kept from then on). */
  async read(firstSince: string): Promise<OktaLogCursor> {
    const key = redisKeys.oktaLogCursor(this.tenant);
    await this.redis.hsetnx(key, "since", firstSince);
    const [since, next] = await this.redis.hmget(key, "since", "next");
    return { since: since ?? firstSince, ...(next ? { next } : {}) };
  }

  async saveNext(next: string, at: Date): Promise<void> {
    await this.redis.hset(redisKeys.oktaLogCursor(this.tenant), { next, savedAt: at.toISOString() });
  }
}

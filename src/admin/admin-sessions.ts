// Browser sessions of the admin API: a random session id in an HttpOnly cookie, stored in Redis under
// its sha256 with a TTL (a Redis dump does not hand out live sessions), plus a per-session CSRF token
// the console echoes in X-Keybridge-CSRF on every write. A session lives no longer than its token.
import { randomBytes } from "node:crypto";
import type { RedisClient } from "../store/create-redis-client";
import { tokenHash } from "../scim/tenant-tokens";
import { redisKeys } from "../store/redis-keys";
import type { AdminActor } from "./admin-role";

export interface AdminSession extends AdminActor {
  /** Sent back by the console in X-Keybridge-CSRF on every cookie-authenticated write. */
  csrf: string;
  expiresAt: string;
}

export interface OpenedSession extends AdminSession {
  /** The cookie value; only its hash is stored. */
  id: string;
}

export interface AdminSessionsOptions {
  redis: RedisClient;
  ttlMs: number;
  /** Mark the cookie Secure whatever the request's scheme (publicBaseUrl is https: a TLS proxy in front). */
  secureCookie?: boolean;
  clock?: () => Date;
  randomBytes?: (size: number) => Buffer;
}

export class AdminSessions {
  private readonly redis: RedisClient;
  private readonly clock: () => Date;
  private readonly random: (size: number) => Buffer;
  readonly ttlMs: number;
  readonly secureCookie: boolean;

  constructor(options: AdminSessionsOptions) {
    this.redis = options.redis;
    this.ttlMs = options.ttlMs;
    this.secureCookie = options.secureCookie ?? false;
    this.clock = options.clock ?? (() => new Date());
    this.random = options.randomBytes ?? randomBytes;
  }

  async open(actor: AdminActor): Promise<OpenedSession> {
    const id = this.random(32).toString("base64url");
    const session: AdminSession = {
      name: actor.name,
      role: actor.role,
      tokenId: actor.tokenId,
      csrf: this.random(24).toString("base64url"),
      expiresAt: new Date(this.clock().getTime() + this.ttlMs).toISOString(),
    };
    await this.redis.set(redisKeys.adminSession(tokenHash(id)), JSON.stringify(session), "PX", this.ttlMs);
    return { ...session, id };
  }

  /**
   * The session behind a cookie value, or null when it expired, was closed, or its admin token was
   * revoked since (the token's role is re-read, so a revoked operator's open console stops at once).
   */
  async find(id: string): Promise<AdminSession | null> {
    const raw = await this.redis.get(redisKeys.adminSession(tokenHash(id)));
    if (!raw) return null;
    const session = JSON.parse(raw) as AdminSession;
    if (!(await this.redis.hexists(redisKeys.adminTokens(), session.tokenId))) return null;
    return session;
  }

  /** True when a session with that id was open. */
  async close(id: string): Promise<boolean> {
    return (await this.redis.del(redisKeys.adminSession(tokenHash(id)))) === 1;
  }
}

// Per-tenant bearer tokens (issue 2 item 2): stored only as sha256 hashes, compared in constant time,
// several valid at once so an IdP's token can be rotated without downtime.
import { hash, randomBytes, timingSafeEqual } from "node:crypto";
import type { RedisClient } from "../store/create-redis-client";
import { auditTypes } from "../audit/audit-catalog";
import type { AuditSink } from "../audit/audit-event";
import { redisKeys } from "../store/redis-keys";

export interface TokenInfo {
  id: string;
  created: string;
  /** Last four characters of the secret, so an admin can tell tokens apart. */
  last4: string;
}

interface StoredToken extends TokenInfo {
  hash: string;
}

export interface CreatedToken extends TokenInfo {
  /** Shown once; only its hash is kept. */
  secret: string;
}

/** The stored form of a token secret (sha256, hex): what the request path compares (rate-limiter.ts). */
export function tokenHash(secret: string): string {
  return hash("sha256", secret, "hex"); // one-shot: a third of createHash's cost on every request
}

export interface TenantTokensOptions {
  redis: RedisClient;
  clock?: () => Date;
  randomBytes?: (size: number) => Buffer;
  /** Where token creation and revocation are recorded (tokens.created / tokens.revoked). */
  audit?: AuditSink;
}

/** Who created or revoked a token, for the audit record; "system" for the demo's first token. */
export interface TokenActor {
  actor: string;
  reason?: string;
}

const SYSTEM: TokenActor = { actor: "system" };

export class TenantTokens {
  private readonly redis: RedisClient;
  private readonly clock: () => Date;
  private readonly random: (size: number) => Buffer;
  private readonly audit: AuditSink | undefined;

  constructor(options: TenantTokensOptions) {
    this.redis = options.redis;
    this.audit = options.audit;
    this.clock = options.clock ?? (() => new Date());
    this.random = options.randomBytes ?? randomBytes;
  }

  /** Creates a token: 32 random bytes, base64url. The caller prints `secret` once. */
  async create(tenant: string, by: TokenActor = SYSTEM): Promise<CreatedToken> {
    const secret = this.random(32).toString("base64url");
    const id = this.random(6).toString("hex");
    const info: StoredToken = {
      id,
      created: this.clock().toISOString(),
      last4: secret.slice(-4),
      hash: tokenHash(secret),
    };
    await this.redis.hset(redisKeys.tenantTokens(tenant), id, JSON.stringify(info));
    // Who can authenticate as an IdP is evidence a regulator asks for; the secret is never recorded.
    await this.record(auditTypes.tokensCreated, tenant, id, by);
    return { id, created: info.created, last4: info.last4, secret };
  }

  async list(tenant: string): Promise<TokenInfo[]> {
    const all = await this.redis.hgetall(redisKeys.tenantTokens(tenant));
    return Object.values(all)
      .map((raw) => JSON.parse(raw) as StoredToken)
      .map(({ id, created, last4 }) => ({ id, created, last4 }))
      .sort((a, b) => a.created.localeCompare(b.created) || a.id.localeCompare(b.id));
  }

  /** True when a token with that id existed. */
  async revoke(tenant: string, id: string, by: TokenActor = SYSTEM): Promise<boolean> {
    const removed = (await this.redis.hdel(redisKeys.tenantTokens(tenant), id)) === 1;
    if (removed) await this.record(auditTypes.tokensRevoked, tenant, id, by);
    return removed;
  }

  private async record(type: string, tenant: string, tokenId: string, by: TokenActor): Promise<void> {
    await this.audit?.append({
      type,
      tenant,
      actor: by.actor,
      subject: { kind: "tenant", id: tenant },
      outcome: "success",
      data: { tokenId },
      ...(by.reason ? { reason: by.reason } : {}),
    });
  }

  /**
   * True when `secret` matches one of the tenant's tokens. Every stored hash is compared with
   * timingSafeEqual, so the time taken does not reveal which token (or how much of one) matched.
   */
  async verify(tenant: string, secret: string): Promise<boolean> {
    const all = await this.redis.hvals(redisKeys.tenantTokens(tenant));
    const presented = Buffer.from(tokenHash(secret), "hex");
    let ok = false;
    for (const raw of all) {
      const stored = Buffer.from((JSON.parse(raw) as StoredToken).hash, "hex");
      if (stored.length === presented.length && timingSafeEqual(stored, presented)) ok = true;
    }
    return ok;
  }
}

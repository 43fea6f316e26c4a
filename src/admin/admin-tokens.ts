// Admin API tokens: a name and a role each, stored only as sha256 hashes in a key space of their own
// (redis-keys.ts adminTokens), so a tenant's SCIM token is never an admin token and vice versa. Hashing
// and comparison are those of the SCIM tokens (src/scim/tenant-tokens.ts).
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { RedisClient } from "../store/create-redis-client";
import { auditTypes } from "../audit/audit-catalog";
import type { AuditSink } from "../audit/audit-event";
import { tokenHash, type TokenActor } from "../scim/tenant-tokens";
import { redisKeys } from "../store/redis-keys";
import type { AdminActor, AdminRole } from "./admin-role";

export interface AdminTokenInfo {
  id: string;
  name: string;
  role: AdminRole;
  created: string;
  /** Last four characters of the secret, so an admin can tell tokens apart. */
  last4: string;
}

interface StoredAdminToken extends AdminTokenInfo {
  hash: string;
}

export interface CreatedAdminToken extends AdminTokenInfo {
  /** Shown once; only its hash is kept. */
  secret: string;
}

export interface AdminTokensOptions {
  redis: RedisClient;
  audit: AuditSink;
  clock?: () => Date;
  randomBytes?: (size: number) => Buffer;
}

/** A prefix tells a leaked admin token apart from a SCIM token in a log or a secret scanner. */
export const ADMIN_TOKEN_PREFIX = "kbadm_";

export class AdminTokens {
  private readonly redis: RedisClient;
  private readonly audit: AuditSink;
  private readonly clock: () => Date;
  private readonly random: (size: number) => Buffer;

  constructor(options: AdminTokensOptions) {
    this.redis = options.redis;
    this.audit = options.audit;
    this.clock = options.clock ?? (() => new Date());
    this.random = options.randomBytes ?? randomBytes;
  }

  /** Creates a token (32 random bytes, base64url, prefixed); the caller prints `secret` once. */
  async create(name: string, role: AdminRole, by: TokenActor): Promise<CreatedAdminToken> {
    const secret = `${ADMIN_TOKEN_PREFIX}${this.random(32).toString("base64url")}`;
    const id = this.random(6).toString("hex");
    const info: AdminTokenInfo = {
      id,
      name,
      role,
      created: this.clock().toISOString(),
      last4: secret.slice(-4),
    };
    const stored: StoredAdminToken = { ...info, hash: tokenHash(secret) };
    await this.redis.hset(redisKeys.adminTokens(), id, JSON.stringify(stored));
    await this.record(auditTypes.operatorAdminTokenCreated, info, by);
    return { ...info, secret };
  }

  async list(): Promise<AdminTokenInfo[]> {
    const all = await this.redis.hvals(redisKeys.adminTokens());
    return all
      .map((raw) => publicInfo(JSON.parse(raw) as StoredAdminToken))
      .sort((a, b) => a.created.localeCompare(b.created) || a.id.localeCompare(b.id));
  }

  async get(id: string): Promise<AdminTokenInfo | null> {
    const raw = await this.redis.hget(redisKeys.adminTokens(), id);
    return raw ? publicInfo(JSON.parse(raw) as StoredAdminToken) : null;
  }

  /** The revoked token, or null when there was none with that id. Its sessions fail from now on. */
  async revoke(id: string, by: TokenActor): Promise<AdminTokenInfo | null> {
    const info = await this.get(id);
    if (!info || (await this.redis.hdel(redisKeys.adminTokens(), id)) !== 1) return null;
    await this.record(auditTypes.operatorAdminTokenRevoked, info, by);
    return info;
  }

  /**
   * The caller a secret belongs to, or null. Every stored hash is compared with timingSafeEqual, so the
   * time taken does not reveal which token (or how much of one) matched.
   */
  async verify(secret: string): Promise<AdminActor | null> {
    const all = await this.redis.hvals(redisKeys.adminTokens());
    const presented = Buffer.from(tokenHash(secret), "hex");
    let found: AdminActor | null = null;
    for (const raw of all) {
      const token = JSON.parse(raw) as StoredAdminToken;
      const stored = Buffer.from(token.hash, "hex");
      if (stored.length === presented.length && timingSafeEqual(stored, presented))
        found = { name: token.name, role: token.role, tokenId: token.id };
    }
    return found;
  }

  private async record(type: string, info: AdminTokenInfo, by: TokenActor): Promise<void> {
    await this.audit.append({
      type,
      actor: by.actor,
      subject: { kind: "admin_token", id: info.id },
      outcome: "success",
      data: { tokenId: info.id, name: info.name, role: info.role },
      ...(by.reason ? { reason: by.reason } : {}),
    });
  }
}

function publicInfo({ id, name, role, created, last4 }: StoredAdminToken): AdminTokenInfo {
  return { id, name, role, created, last4 };
}

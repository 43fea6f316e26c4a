// Helpers for audit tests: a stepping clock, an event factory, and a tamperer that rewrites the stream
// the way someone with Redis access could (read every entry, change the list, write it back).
import type { RedisClient } from "../../src/store/create-redis-client";
import type { AuditEventInput } from "../../src/audit/audit-event";
import { redisKeys } from "../../src/store/redis-keys";

export function steppingClock(startIso = "2026-01-01T00:00:00.000Z", stepMs = 1000) {
  let t = Date.parse(startIso);
  return {
    now: () => {
      const d = new Date(t);
      t += stepMs;
      return d;
    },
  };
}

export function userEvent(i: number, overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    type: "scim.user.updated",
    tenant: "acme",
    actor: "idp:acme",
    subject: { kind: "person", id: `p${i % 5}` },
    correlationId: `req-${i}`,
    outcome: "success",
    data: { i },
    ...overrides,
  };
}

export async function readEntries(redis: RedisClient): Promise<string[]> {
  const raw = (await redis.xrange(redisKeys.auditLog(), "-", "+")) as [string, string[]][];
  return raw.map(([, fields]) => fields[1] ?? "");
}

/** Replaces the whole stream with `texts`, entry ids 1-0, 2-0... by position. */
export async function writeEntries(redis: RedisClient, texts: string[]): Promise<void> {
  await redis.del(redisKeys.auditLog());
  for (const [i, text] of texts.entries()) await redis.xadd(redisKeys.auditLog(), `${i + 1}-0`, "r", text);
}

export async function tamper(redis: RedisClient, change: (texts: string[]) => string[]): Promise<void> {
  await writeEntries(redis, change(await readEntries(redis)));
}

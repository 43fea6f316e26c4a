// Revocations that became effective lately, read from the audit trail (revocation.effective records):
// the board shows them beside the pending ones so an operator sees a revocation finish. Reading the
// trail forward from `since` (a binary search finds it) keeps this to the last few minutes' records.
import type { RedisClient } from "../store/create-redis-client";
import { auditTypes } from "../audit/audit-catalog";
import { auditRecords } from "../audit/export-audit";

export interface EffectiveRevocation {
  tenant: string;
  system: string;
  personId: string;
  profile: string;
  effectiveAt: string;
}

export async function readRecentRevocations(
  redis: RedisClient,
  since: Date,
  limit = 50,
): Promise<EffectiveRevocation[]> {
  const out: EffectiveRevocation[] = [];
  for await (const { record } of auditRecords(redis, { since })) {
    if (record?.type !== auditTypes.revocationEffective || record.subject.kind !== "person") continue;
    const { system, profile } = record.data ?? {};
    if (typeof system !== "string" || typeof profile !== "string" || !record.tenant) continue;
    out.push({
      tenant: record.tenant,
      system,
      personId: record.subject.id,
      profile,
      effectiveAt: record.time,
    });
    if (out.length > limit) out.shift();
  }
  return out.reverse();
}

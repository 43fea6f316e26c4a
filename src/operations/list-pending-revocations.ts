// The pending-revocations board's data: every revocation not yet effective (requested, pending
// programming or propagation, failed, manual action), worst exposure first, plus those that became
// effective recently so an operator sees one finish. Read from the grant ledger, the record of state.
import type { Redis } from "ioredis";
import type { LedgerEntry } from "../reconcile/ledger-entry";
import { redisKeys } from "../store/redis-keys";

export interface RevocationRow {
  tenant: string;
  system: string;
  personId: string;
  profile: string;
  state: LedgerEntry["state"];
  requestedAt: string;
  exposureUntil?: string;
  effectiveAt?: string;
  lastError?: string;
}

export interface RevocationBoard {
  pending: RevocationRow[];
  recentlyEffective: RevocationRow[];
}

const HOLDER_FIELD = "_holder";

/**
 * Orders pending revocations by exposure: one without an estimate has no known end (the key may
 * open doors until someone acts), so it comes first; then the latest exposureUntil; then the oldest.
 */
export function compareExposure(a: RevocationRow, b: RevocationRow): number {
  if (!a.exposureUntil !== !b.exposureUntil) return a.exposureUntil ? 1 : -1;
  if (a.exposureUntil && b.exposureUntil && a.exposureUntil !== b.exposureUntil)
    return a.exposureUntil < b.exposureUntil ? 1 : -1;
  return a.requestedAt < b.requestedAt ? -1 : a.requestedAt > b.requestedAt ? 1 : 0;
}

/** Splits one ledger key `{kb:<tenant>}:ledger:<system>:<personId>` into its parts. */
function ledgerKeyParts(tenant: string, key: string): { system: string; personId: string } | null {
  const prefix = redisKeys.grantLedger(tenant, "", "").slice(0, -1); // "{kb:t}:ledger:"
  const rest = key.startsWith(prefix) ? key.slice(prefix.length) : null;
  const colon = rest?.lastIndexOf(":") ?? -1;
  if (rest === null || colon <= 0) return null;
  return { system: rest.slice(0, colon), personId: rest.slice(colon + 1) };
}

function rowOf(tenant: string, where: { system: string; personId: string }, e: LedgerEntry): RevocationRow {
  const row: RevocationRow = {
    tenant,
    ...where,
    profile: e.profile,
    state: e.state,
    requestedAt: e.requestedAt,
  };
  if (e.exposureUntil) row.exposureUntil = e.exposureUntil;
  if (e.effectiveAt) row.effectiveAt = e.effectiveAt;
  if (e.lastError) row.lastError = `${e.lastError.code}: ${e.lastError.message}`;
  return row;
}

/**
 * Scans the tenants' ledgers (SCAN, in pages: the ledger keeps no index of revocations, so the cost
 * grows with the number of persons — fine for a board polled by a few operators, not for a hot path).
 */
export async function listPendingRevocations(
  redis: Redis,
  tenants: string[],
  options: { now: Date; recentMs?: number; limit?: number },
): Promise<RevocationBoard> {
  const since = new Date(options.now.getTime() - (options.recentMs ?? 3600_000)).toISOString();
  const board: RevocationBoard = { pending: [], recentlyEffective: [] };
  for (const tenant of tenants) {
    const match = redisKeys.grantLedger(tenant, "*", "*");
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", match, "COUNT", 500);
      cursor = next;
      for (const key of keys) {
        const where = ledgerKeyParts(tenant, key);
        if (!where) continue;
        const raw = await redis.hgetall(key);
        for (const [field, value] of Object.entries(raw)) {
          if (field === HOLDER_FIELD) continue;
          const entry = JSON.parse(value) as LedgerEntry;
          if (entry.action !== "revoke") continue;
          if (entry.state !== "effective") board.pending.push(rowOf(tenant, where, entry));
          else if ((entry.effectiveAt ?? "") >= since)
            board.recentlyEffective.push(rowOf(tenant, where, entry));
        }
      }
    } while (cursor !== "0");
  }
  board.pending.sort(compareExposure);
  board.recentlyEffective.sort((a, b) => ((a.effectiveAt ?? "") < (b.effectiveAt ?? "") ? 1 : -1));
  const limit = options.limit ?? 500;
  return { pending: board.pending.slice(0, limit), recentlyEffective: board.recentlyEffective.slice(0, 50) };
}

// Revocations asked of a key system and not yet effective (requested, pending programming or
// propagation, failed, manual action), longest exposure first: the board an operator watches so a
// leaver's key is not left open. Read by walking the tenant's ledger keys (SCAN, no index to keep).
import type { RedisClient } from "../store/create-redis-client";
import { scanKeys } from "../store/scan-keys";
import type { GrantLedger } from "../reconcile/grant-ledger";
import type { GrantState } from "../reconcile/ledger-entry";
import { redisKeys } from "../store/redis-keys";

export interface PendingRevocation {
  tenant: string;
  system: string;
  personId: string;
  profile: string;
  state: GrantState;
  requestedAt: string;
  /** Latest time the old access might still open a door; absent while the driver has not said. */
  exposureUntil?: string;
  lastError?: { code: string; message: string };
}

/** Not yet effective: the door may still open. "scheduled" is a future revocation, not an exposure. */
const OPEN_STATES: ReadonlySet<GrantState> = new Set([
  "requested",
  "pending_programming",
  "pending_propagation",
  "failed",
  "manual_action",
]);

/**
 * Sorted by exposure: the latest exposureUntil first (the longest a key may stay open), then those
 * without an estimate by how long ago they were requested (oldest first). Pure.
 */
export function byExposure(a: PendingRevocation, b: PendingRevocation): number {
  if (a.exposureUntil && b.exposureUntil) return b.exposureUntil.localeCompare(a.exposureUntil);
  if (a.exposureUntil) return -1;
  if (b.exposureUntil) return 1;
  return a.requestedAt.localeCompare(b.requestedAt);
}

export async function listPendingRevocations(
  deps: { redis: RedisClient; ledger: GrantLedger },
  tenants: string[],
  options: { maxKeys?: number } = {},
): Promise<PendingRevocation[]> {
  const out: PendingRevocation[] = [];
  for (const tenant of tenants) {
    for (const { system, personId } of await ledgerKeys(deps.redis, tenant, options.maxKeys ?? 200_000)) {
      const ledger = await deps.ledger.read(tenant, system, personId);
      for (const e of ledger.entries) {
        if (e.action !== "revoke" || !OPEN_STATES.has(e.state)) continue;
        const item: PendingRevocation = {
          tenant,
          system,
          personId,
          profile: e.profile,
          state: e.state,
          requestedAt: e.requestedAt,
        };
        if (e.exposureUntil) item.exposureUntil = e.exposureUntil;
        if (e.lastError) item.lastError = { code: e.lastError.code, message: e.lastError.message };
        out.push(item);
      }
    }
  }
  return out.sort(byExposure);
}

/** (system, person) of every ledger hash of the tenant; key layout from redis-keys.ts grantLedger. */
async function ledgerKeys(redis: RedisClient, tenant: string, maxKeys: number) {
  const prefix = redisKeys.grantLedger(tenant, "", "").slice(0, -2); // "{kb:<tenant>}:ledger"
  const found: Array<{ system: string; personId: string }> = [];
  for await (const keys of scanKeys(redis, `${prefix}:*`, 1000)) {
    for (const key of keys) {
      const rest = key.slice(prefix.length + 1);
      const colon = rest.indexOf(":");
      if (colon > 0) found.push({ system: rest.slice(0, colon), personId: rest.slice(colon + 1) });
    }
    if (found.length >= maxKeys) break;
  }
  return found;
}

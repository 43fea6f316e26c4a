// Revocations asked of a key system and not yet effective, longest exposure first — interim copy in the
// shape of the admin helper's src/operations/pending-revocations.ts, which replaces it on merge.
import type { Redis } from "ioredis";
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
  exposureUntil?: string;
  lastError?: { code: string; message: string };
}

const OPEN_STATES: ReadonlySet<GrantState> = new Set([
  "requested",
  "pending_programming",
  "pending_propagation",
  "failed",
  "manual_action",
]);

export function byExposure(a: PendingRevocation, b: PendingRevocation): number {
  if (a.exposureUntil && b.exposureUntil) return b.exposureUntil.localeCompare(a.exposureUntil);
  if (a.exposureUntil) return -1;
  if (b.exposureUntil) return 1;
  return a.requestedAt.localeCompare(b.requestedAt);
}

export async function listPendingRevocations(
  deps: { redis: Redis; ledger: GrantLedger },
  tenants: string[],
): Promise<PendingRevocation[]> {
  const out: PendingRevocation[] = [];
  for (const tenant of tenants) {
    const prefix = redisKeys.grantLedger(tenant, "", "").slice(0, -2);
    let cursor = "0";
    do {
      const [next, keys] = await deps.redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      cursor = next;
      for (const key of keys) {
        const rest = key.slice(prefix.length + 1);
        const colon = rest.indexOf(":");
        if (colon <= 0) continue;
        const [system, personId] = [rest.slice(0, colon), rest.slice(colon + 1)];
        for (const e of (await deps.ledger.read(tenant, system, personId)).entries) {
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
    } while (cursor !== "0");
  }
  return out.sort(byExposure);
}

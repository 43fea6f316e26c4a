// Reads the register of current access for one tenant from the grant ledger (Redis): every grant
// held or on its way, and every revocation not yet effective, with the mapping rules behind it.
// The one part of the evidence report that is not rebuilt from the audit export; it says so.
import type { RedisClient } from "../store/create-redis-client";
import { scanKeys } from "../store/scan-keys";
import { auditIdentity } from "../audit/audit-identity";
import type { MappingSet } from "../mapping/mapping-set";
import type { GrantLedger } from "../reconcile/grant-ledger";
import type { LedgerEntry } from "../reconcile/ledger-entry";
import { redisKeys } from "../store/redis-keys";
import type { AccessRegister, RegisterRow } from "./evidence-report";

export interface RegisterDeps {
  redis: RedisClient;
  ledger: GrantLedger;
  /** The directory's user (null once deleted): the register names people by their current userName. */
  getUser: (tenant: string, id: string) => Promise<{ userName?: unknown; externalId?: unknown } | null>;
  mappings: MappingSet;
}

/** Escapes Redis glob characters, so a tenant or system id is matched literally by SCAN MATCH. */
const literal = (text: string) => text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

/** The person ids with a ledger in one key system (SCAN: no index of ledgers exists, reads are rare). */
async function ledgerPersons(redis: RedisClient, tenant: string, system: string): Promise<string[]> {
  const marker = "\u0001";
  const [prefix = "", suffix = ""] = redisKeys.grantLedger(tenant, system, marker).split(marker);
  const ids = new Set<string>();
  for await (const keys of scanKeys(redis, `${literal(prefix)}*${literal(suffix)}`, 500))
    for (const key of keys) ids.add(key.slice(prefix.length, key.length - suffix.length));
  return [...ids].sort();
}

/** Access a person holds or may still hold: grants not failed, revocations not yet effective. */
function inRegister(entry: LedgerEntry): boolean {
  if (entry.action === "grant") return entry.state !== "failed" && entry.state !== "scheduled";
  return entry.state !== "effective";
}

export async function readAccessRegister(
  deps: RegisterDeps,
  tenant: string,
  asOf: Date,
): Promise<AccessRegister> {
  const rules = new Map(deps.mappings.rules.map((r) => [r.name, r.description]));
  const rows: RegisterRow[] = [];
  for (const system of [...deps.mappings.keySystems.keys()].sort()) {
    for (const personId of await ledgerPersons(deps.redis, tenant, system)) {
      const ledger = await deps.ledger.read(tenant, system, personId);
      const held = ledger.entries.filter(inRegister);
      if (held.length === 0) continue;
      const user = await deps.getUser(tenant, personId);
      const identity = { personId, ...(user ? auditIdentity(user) : {}) };
      for (const entry of held) {
        const row: RegisterRow = {
          identity,
          system,
          profile: entry.profile,
          action: entry.action,
          state: entry.state,
          rules: entry.reasons.map((name) => {
            const description = rules.get(name);
            return description ? { name, description } : { name };
          }),
        };
        const since = entry.effectiveAt ?? entry.requestedAt;
        if (since) row.since = since;
        if (entry.exposureUntil) row.exposureUntil = entry.exposureUntil;
        rows.push(row);
      }
    }
  }
  return { source: "the grant ledger in Redis", asOf: asOf.toISOString(), rows };
}

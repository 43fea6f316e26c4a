// Builds the evidence report from a running keybridge's Redis: the tenant's audit records in the
// window, the whole-chain verify, the register from the ledger, the offline bounds from config. The
// console can mount this (with renderEvidenceHtml); the CLI's `report evidence` calls it too.
import type { RedisClient } from "../store/create-redis-client";
import { auditRecords } from "../audit/export-audit";
import type { AuditRecord } from "../audit/audit-record";
import { verifyAudit } from "../audit/verify-audit";
import type { Config } from "../config/config-schema";
import type { MappingSet } from "../mapping/mapping-set";
import type { GrantLedger } from "../reconcile/grant-ledger";
import { buildEvidenceReport, type EvidenceReport } from "./evidence-report";
import { type OfflineBound, offlineBounds } from "./offline-bounds";
import { readAccessRegister, type RegisterDeps } from "./read-access-register";

export interface LiveEvidenceDeps {
  redis: RedisClient;
  ledger: GrantLedger;
  getUser: RegisterDeps["getUser"];
  mappings: MappingSet;
  config: Config;
  clock: () => Date;
}

export interface EvidenceWindow {
  tenant: string;
  since: Date;
  until: Date;
}

/** The offline bounds of the key systems the mappings declare, from their configured driver options. */
export function configuredOfflineBounds(config: Config, mappings: MappingSet): OfflineBound[] {
  const systems = [...mappings.keySystems.values()].map((k) => ({ id: k.id, driver: k.driver }));
  return offlineBounds(systems, (id) => config.keySystems[id]?.options ?? {});
}

export async function buildLiveEvidenceReport(
  deps: LiveEvidenceDeps,
  window: EvidenceWindow,
): Promise<EvidenceReport> {
  const now = deps.clock();
  // A window reaching into the future ends now: an open revocation is measured to the report's time,
  // and the same --until reproduces the figures from an export later.
  const until = window.until.getTime() > now.getTime() ? now : window.until;
  const records: AuditRecord[] = [];
  let unreadable = 0;
  for await (const { record } of auditRecords(deps.redis, {
    tenant: window.tenant,
    since: window.since,
    until,
  })) {
    if (record) records.push(record);
    else unreadable++;
  }
  const [liveChain, register] = await Promise.all([
    verifyAudit(deps.redis),
    readAccessRegister(deps, window.tenant, now),
  ]);
  return buildEvidenceReport({
    records,
    unreadable,
    tenant: window.tenant,
    window: { since: window.since.toISOString(), until: until.toISOString() },
    generatedAt: now.toISOString(),
    auditSource: "live",
    offlineBounds: configuredOfflineBounds(deps.config, deps.mappings),
    liveChain,
    register,
  });
}

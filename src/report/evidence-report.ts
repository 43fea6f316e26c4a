// The evidence report an auditor of critical infrastructure receives, and its one builder (pure):
// audit records in, facts and figures out, laid out by what NERC CIP-004-7, NIS2 (2024/2690 annex
// 11.2) and ISO/IEC 27001:2022 ask for. Renderers (html, csv, json) take this object as it is.
import type { AuditRecord } from "../audit/audit-record";
import type { VerifyResult } from "../audit/verify-audit";
import { type WindowChainCheck, checkWindowChain } from "./check-window-chain";
import {
  type AccessChange,
  collectEvidenceFacts,
  type EvidenceIdentity,
  type TerminationKind,
} from "./evidence-facts";
import { computeEvidenceFigures, type EvidenceFigures } from "./evidence-figures";
import { type FrameworkSection, frameworkSections } from "./framework-sections";
import type { OfflineBound } from "./offline-bounds";
import { terminationClocks, type TerminationOutcome } from "./termination-clocks";

export const EVIDENCE_REPORT_KIND = "keybridge.evidence-report";

export interface ChangeRow extends Omit<AccessChange, "personId"> {
  identity: EvidenceIdentity;
  /** requested → effective, ms; absent while not effective. */
  toEffectiveMs?: number;
}

export interface TerminationRow {
  identity: EvidenceIdentity;
  startedAt: string;
  kinds: TerminationKind[];
  /** IdP signals among the actions: `channel:eventId`. */
  signals: string[];
  /** Indexes into `changes`: the revocations the termination caused. */
  revocations: number[];
  outcome: TerminationOutcome;
  clockMs?: number;
  within24h?: boolean;
  worstExposureUntil?: string;
}

export interface RegisterRow {
  identity: EvidenceIdentity;
  system: string;
  profile: string;
  /** Ledger state: effective, pending_* (grant on its way) or a revocation not yet effective. */
  action: "grant" | "revoke";
  state: string;
  rules: Array<{ name: string; description?: string }>;
  since?: string;
  exposureUntil?: string;
}

export interface AccessRegister {
  /** Where the register was read and when: it is the one part not rebuilt from the audit export. */
  source: string;
  asOf: string;
  rows: RegisterRow[];
}

export interface EvidenceReport {
  kind: typeof EVIDENCE_REPORT_KIND;
  version: 1;
  tenant: string;
  window: { since: string; until: string };
  generatedAt: string;
  /** "live" (read from Redis) or "export:<file name>". */
  auditSource: string;
  changes: ChangeRow[];
  terminations: TerminationRow[];
  figures: EvidenceFigures;
  offlineBounds: OfflineBound[];
  chain: { window: WindowChainCheck; live?: VerifyResult };
  register?: AccessRegister;
  frameworks: FrameworkSection[];
}

export interface EvidenceInput {
  /** The tenant's audit records in [since, until), in chain order (a live read or an export). */
  records: AuditRecord[];
  /** Entries read that were not records (a live read's or an export's unparseable lines). */
  unreadable?: number;
  tenant: string;
  window: { since: string; until: string };
  generatedAt: string;
  auditSource: string;
  offlineBounds: OfflineBound[];
  liveChain?: VerifyResult;
  register?: AccessRegister;
}

function inWindow(records: AuditRecord[], tenant: string, window: EvidenceInput["window"]): AuditRecord[] {
  const since = Date.parse(window.since);
  const until = Date.parse(window.until);
  return records.filter(
    (r) => r.tenant === tenant && Date.parse(r.time) >= since && Date.parse(r.time) < until,
  );
}

export function buildEvidenceReport(input: EvidenceInput): EvidenceReport {
  const records = inWindow(input.records, input.tenant, input.window);
  const facts = collectEvidenceFacts(records, input.tenant, input.window);
  const identity = (personId: string) => facts.identities.get(personId) ?? { personId };
  const changes: ChangeRow[] = facts.changes.map(({ personId, ...change }) => ({
    identity: identity(personId),
    ...change,
    ...(change.effectiveAt
      ? { toEffectiveMs: Math.max(0, Date.parse(change.effectiveAt) - Date.parse(change.requestedAt)) }
      : {}),
  }));
  const clocks = terminationClocks(facts, input.window.until);
  const indexOf = new Map(facts.changes.map((c, i) => [c, i]));
  const terminations: TerminationRow[] = clocks.map((c) => {
    const row: TerminationRow = {
      identity: identity(c.personId),
      startedAt: c.startedAt,
      kinds: c.kinds,
      signals: c.actions
        .filter((a) => a.kind === "idp_signal")
        .map((a) => `${a.channel ?? "?"}:${a.eventId ?? "?"}`),
      revocations: c.revocations.map((r) => indexOf.get(r)!),
      outcome: c.outcome,
    };
    if (c.clockMs !== undefined) row.clockMs = c.clockMs;
    if (c.within24h !== undefined) row.within24h = c.within24h;
    if (c.worstExposureUntil) row.worstExposureUntil = c.worstExposureUntil;
    return row;
  });
  const figures = computeEvidenceFigures(facts.changes, clocks);
  const chain: EvidenceReport["chain"] = { window: checkWindowChain(records, input.unreadable ?? 0) };
  if (input.liveChain) chain.live = input.liveChain;
  const report: EvidenceReport = {
    kind: EVIDENCE_REPORT_KIND,
    version: 1,
    tenant: input.tenant,
    window: input.window,
    generatedAt: input.generatedAt,
    auditSource: input.auditSource,
    changes,
    terminations,
    figures,
    offlineBounds: input.offlineBounds,
    chain,
    frameworks: [],
  };
  if (input.register) report.register = input.register;
  report.frameworks = frameworkSections(report);
  return report;
}

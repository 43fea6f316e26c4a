// Producing the evidence report from the live trail, shared by the CLI's `report evidence`, the admin
// API and the console: read the window (one validation for the HTTP front ends), build the report, and
// document the review in the trail itself (NIS2 annex 11.2 "reviews documented").
import { auditTypes } from "../audit/audit-catalog";
import type { AuditSink } from "../audit/audit-event";
import type { EvidenceReport } from "../report/evidence-report";
import {
  buildLiveEvidenceReport,
  type EvidenceWindow,
  type LiveEvidenceDeps,
} from "../report/live-evidence-report";
import { renderEvidenceCsv } from "../report/render-evidence-csv";
import { renderEvidenceHtml } from "../report/render-evidence-html";
import { renderEvidenceJson } from "../report/render-evidence-json";
import { parseOperatorTime } from "./parse-operator-time";
import type { Core } from "../runtime/build-core";

const RENDERERS = {
  html: renderEvidenceHtml,
  csv: renderEvidenceCsv,
  json: renderEvidenceJson,
} as const;

const MEDIA_TYPES = {
  html: "text/html; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  json: "application/json; charset=utf-8",
} as const;

export type EvidenceFormat = keyof typeof RENDERERS;

export function isEvidenceFormat(format: string): format is EvidenceFormat {
  return Object.hasOwn(RENDERERS, format);
}

/** The report as a document in one of its formats, with the media type an HTTP answer carries. */
export function renderEvidence(
  report: EvidenceReport,
  format: EvidenceFormat,
): { mediaType: string; text: string } {
  return { mediaType: MEDIA_TYPES[format], text: RENDERERS[format](report) };
}

export interface ReportEvidenceDeps extends LiveEvidenceDeps {
  audit: AuditSink;
}

/** The report's inputs from a running process's core (the admin API and the console). */
export function coreEvidenceDeps(
  core: Pick<Core, "redis" | "ledger" | "store" | "mappings" | "config" | "clock" | "audit">,
): ReportEvidenceDeps {
  return {
    redis: core.redis,
    ledger: core.ledger,
    getUser: (tenant, id) => core.store.getUser(tenant, id),
    mappings: core.mappings.current,
    config: core.config,
    clock: () => core.clock.now(),
    audit: core.audit,
  };
}

/**
 * A window from form or query text: a known tenant and since < until (ISO 8601; a time without a zone
 * is UTC). Answers the window, or the problem to show the caller.
 */
export function readEvidenceWindow(
  input: { tenant: string; since: string; until: string },
  tenants: string[],
): EvidenceWindow | string {
  if (!tenants.includes(input.tenant)) return "Choose a configured tenant.";
  const since = parseOperatorTime(input.since);
  const until = parseOperatorTime(input.until);
  if (!since || !until) return "since and until must be ISO 8601 times, e.g. 2026-10-01T00:00 (UTC).";
  if (since >= until) return "since must be before until.";
  return { tenant: input.tenant, since, until };
}

/** Builds the report and records who produced it, with its figures and the chain's anchor. */
export async function reportEvidence(
  deps: ReportEvidenceDeps,
  window: EvidenceWindow,
  actor: string,
): Promise<EvidenceReport> {
  const report = await buildLiveEvidenceReport(deps, window);
  await deps.audit.append({
    type: auditTypes.operatorEvidenceReported,
    tenant: window.tenant,
    actor,
    subject: { kind: "tenant", id: window.tenant },
    outcome: "success",
    data: {
      ...report.window,
      figures: report.figures.terminations,
      grants: report.figures.grants.total,
      revocations: report.figures.revocations.total,
      anchor: report.chain.live ? `${report.chain.live.head.seq}:${report.chain.live.head.hash}` : null,
    },
  });
  return report;
}

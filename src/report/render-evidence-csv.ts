// The evidence report as one CSV table (RFC 4180) for a spreadsheet: a `record` column says what each
// row is (figure, change, termination, register); cells through the shared audit/csv-cell encoder. Pure.
import { csvRow } from "../audit/csv-cell";
import type { EvidenceIdentity } from "./evidence-facts";
import type { EvidenceReport } from "./evidence-report";

export const EVIDENCE_CSV_HEADER = [
  "record",
  "userName",
  "externalId",
  "personId",
  "system",
  "profile",
  "action",
  "rules",
  "state",
  "requestedAt",
  "effectiveAt",
  "durationMs",
  "within24h",
  "exposureUntil",
  "detail",
] as const;

type Column = (typeof EVIDENCE_CSV_HEADER)[number];
type Row = Partial<Record<Column, string | number | boolean | undefined>>;

const who = (i: EvidenceIdentity): Row => ({
  userName: i.userName,
  externalId: i.externalId,
  personId: i.personId,
});

function figureRows(report: EvidenceReport): Row[] {
  const f = report.figures;
  const t = f.terminations;
  const figures: Array<[string, number | undefined]> = [
    ["grants.total", f.grants.total],
    ["grants.effective", f.grants.effective],
    ["revocations.total", f.revocations.total],
    ["revocations.effective", f.revocations.effective],
    ["revocations.onChangeOfRole", f.revocationsOnChangeOfRole],
    ["terminations.total", t.total],
    ["terminations.withAccess", t.withAccess],
    ["terminations.decided", t.decided],
    ["terminations.within24h", t.within24h],
    ["terminations.within24hPercent", t.within24hPercent],
    ["terminations.open", t.open],
    ["terminations.notYetDue", t.notYetDue],
    ["terminations.maxClockMs", t.maxClockMs],
  ];
  return figures.map(([name, value]) => ({ record: "figure", detail: `${name}=${value ?? ""}` }));
}

function rows(report: EvidenceReport): Row[] {
  const changes: Row[] = report.changes.map((c) => ({
    record: "change",
    ...who(c.identity),
    system: c.system,
    profile: c.profile,
    action: c.action,
    rules: c.rules.join(" "),
    state: c.state,
    requestedAt: c.requestedAt,
    effectiveAt: c.effectiveAt,
    durationMs: c.toEffectiveMs,
    exposureUntil: c.exposureUntil,
    detail: `seq ${c.firstSeq}`,
  }));
  const terminations: Row[] = report.terminations.map((t) => ({
    record: "termination",
    ...who(t.identity),
    state: t.outcome,
    requestedAt: t.startedAt,
    durationMs: t.clockMs,
    within24h: t.within24h,
    exposureUntil: t.worstExposureUntil,
    detail: [...t.kinds, ...t.signals].join(" "),
  }));
  const register: Row[] = (report.register?.rows ?? []).map((r) => ({
    record: "register",
    ...who(r.identity),
    system: r.system,
    profile: r.profile,
    action: r.action,
    rules: r.rules.map((rule) => rule.name).join(" "),
    state: r.state,
    effectiveAt: r.since,
    exposureUntil: r.exposureUntil,
  }));
  return [...figureRows(report), ...changes, ...terminations, ...register];
}

export function renderEvidenceCsv(report: EvidenceReport): string {
  const lines = [csvRow(EVIDENCE_CSV_HEADER)];
  for (const row of rows(report)) lines.push(csvRow(EVIDENCE_CSV_HEADER.map((c) => row[c])));
  return lines.join("");
}

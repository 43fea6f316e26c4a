// Audit records as CSV for a spreadsheet (RFC 4180 quoting); `data` stays one JSON cell, so nothing is
// lost — the JSON Lines export remains the form whose hashes verify.
import type { AuditRecord } from "./audit-record";

export const AUDIT_CSV_HEADER =
  "seq,time,type,tenant,actor,subject_kind,subject_id,reason,outcome,correlation_id,data,hash\r\n";

/** Quotes a cell; a leading = + - @ is prefixed with ' so a spreadsheet never runs it as a formula. */
export function csvCell(value: unknown): string {
  let text = value === undefined || value === null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function auditCsvRow(r: AuditRecord): string {
  return `${[
    r.seq,
    r.time,
    r.type,
    r.tenant,
    r.actor,
    r.subject?.kind,
    r.subject?.id,
    r.reason,
    r.outcome,
    r.correlationId,
    r.data === undefined ? "" : JSON.stringify(r.data),
    r.hash,
  ]
    .map(csvCell)
    .join(",")}\r\n`;
}

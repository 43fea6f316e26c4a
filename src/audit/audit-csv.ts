// Audit records as CSV for a spreadsheet (RFC 4180 quoting); `data` stays one JSON cell, so nothing is
// lost — the JSON Lines export remains the form whose hashes verify.
import type { AuditRecord } from "./audit-record";
import { csvRow } from "./csv-cell";

export const AUDIT_CSV_HEADER =
  "seq,time,type,tenant,actor,subject_kind,subject_id,reason,outcome,correlation_id,data,hash\r\n";

export function auditCsvRow(r: AuditRecord): string {
  return csvRow([
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
  ]);
}

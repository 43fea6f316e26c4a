// An audit export is itself evidence: who took which records out. The CLI's `audit export` and the
// admin API's export both record it here as operator.audit_exported.
import { auditTypes } from "../audit/audit-catalog";
import type { AuditSink } from "../audit/audit-event";
import type { AuditExportFilter } from "../audit/export-audit";

export async function recordAuditExport(
  audit: AuditSink,
  filter: AuditExportFilter,
  actor: string,
  count: number,
): Promise<void> {
  await audit.append({
    type: auditTypes.operatorAuditExported,
    tenant: filter.tenant,
    actor,
    subject: { kind: filter.person ? "person" : "tenant", id: filter.person ?? filter.tenant ?? "*" },
    outcome: "success",
    data: { since: filter.since?.toISOString(), until: filter.until?.toISOString(), count },
  });
}

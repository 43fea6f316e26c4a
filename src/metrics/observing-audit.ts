// Derives the worker-side metrics from the audit records the pipeline already writes, so the reconcile
// code carries no metrics calls: revocation.effective (requested → effective latency) and driver.error
// (failures by kind). Wraps the AuditSink the workers use; the record is appended first, as before.
import { auditTypes } from "../audit/audit-catalog";
import type { AuditEventInput, AuditSink } from "../audit/audit-event";
import type { Metrics } from "./metrics";

/** Pure: what one audit event adds to the metrics, if anything. */
export function metricOfEvent(
  event: AuditEventInput,
  now: Date,
): { revocationSeconds?: number; driverErrorKind?: string; system?: string } {
  const data = event.data ?? {};
  const system = typeof data.system === "string" ? data.system : "unknown";
  if (event.type === auditTypes.revocationEffective && typeof data.requestedAt === "string") {
    const requested = Date.parse(data.requestedAt);
    if (Number.isNaN(requested)) return {};
    return { system, revocationSeconds: Math.max(0, (now.getTime() - requested) / 1000) };
  }
  if (event.type === auditTypes.driverError)
    return { system, driverErrorKind: typeof data.kind === "string" ? data.kind : "unknown" };
  return {};
}

export function observingAudit(sink: AuditSink, metrics: Metrics, now: () => Date): AuditSink {
  return {
    async append(event) {
      await sink.append(event);
      const seen = metricOfEvent(event, now());
      if (seen.revocationSeconds !== undefined)
        metrics.revocationLatency.observe({ system: seen.system }, seen.revocationSeconds);
      if (seen.driverErrorKind !== undefined)
        metrics.driverErrors.inc({ system: seen.system, kind: seen.driverErrorKind });
    },
  };
}

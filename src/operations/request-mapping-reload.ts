// An operator (admin role in the admin API) asks for the mapping files to be reloaded, as SIGHUP does:
// recorded as operator.mappings_reload_requested with actor and reason before the reload runs (the
// reload itself records mappings.loaded or mappings.reload_failed, runtime/reload-mappings.ts).
import { auditTypes } from "../audit/audit-catalog";
import type { AuditSink } from "../audit/audit-event";
import type { ReloadResult } from "../mapping/mapping-holder";
import { checkOperatorRequest, type OperatorRequest } from "./operator-request";

export async function requestMappingReload(
  audit: AuditSink,
  reload: () => Promise<ReloadResult>,
  request: OperatorRequest,
): Promise<ReloadResult> {
  checkOperatorRequest(request);
  await audit.append({
    type: auditTypes.operatorMappingsReloadRequested,
    actor: request.actor,
    subject: { kind: "mappings", id: "reload" },
    reason: request.reason,
    outcome: "success",
  });
  return reload();
}

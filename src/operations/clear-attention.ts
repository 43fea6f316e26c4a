// Lists and clears needs-attention flags (a person the pipeline stopped retrying: permanent error,
// manual action, retries exhausted); each clear is audited as operator.attention_cleared.
import { auditTypes } from "../audit/audit-catalog";
import type { AuditSink } from "../audit/audit-event";
import type { AttentionFlag, GrantLedger } from "../reconcile/grant-ledger";
import { checkOperatorRequest, type OperatorRequest, operatorPersonEvent } from "./operator-request";

export interface AttentionDeps {
  ledger: GrantLedger;
  audit: AuditSink;
}

/** A tenant's flags, oldest first; optionally of one person or one key system. */
export async function listAttention(
  ledger: GrantLedger,
  tenant: string,
  filter: { personId?: string; system?: string } = {},
): Promise<AttentionFlag[]> {
  const flags = await ledger.listAttention(tenant);
  return flags
    .filter(
      (f) =>
        (filter.personId === undefined || f.personId === filter.personId) &&
        (filter.system === undefined || f.system === filter.system),
    )
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/**
 * Clears the person's flag in one key system, or in every system when none is named. Returns the
 * flags cleared (empty: there was none, nothing is audited). Does not enqueue a reconcile: that is
 * `requestReconcile`, so an operator can clear a flag without touching the key system.
 */
export async function clearAttention(
  deps: AttentionDeps,
  target: { tenant: string; personId: string; system?: string },
  request: OperatorRequest,
): Promise<AttentionFlag[]> {
  checkOperatorRequest(request);
  const flags = await listAttention(deps.ledger, target.tenant, target);
  for (const flag of flags) {
    await deps.ledger.clearAttention(target.tenant, flag.system, flag.personId);
    await deps.audit.append(
      operatorPersonEvent(
        auditTypes.operatorAttentionCleared,
        { tenant: target.tenant, personId: flag.personId },
        request,
        flag.correlationId,
        { system: flag.system, kind: flag.kind, since: flag.at, code: flag.error?.code },
      ),
    );
  }
  return flags;
}

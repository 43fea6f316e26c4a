// Lists manual work items and closes one an operator has done (a key handed in, a key programmed at
// a station): audited as operator.manual_action_done, and the person is reconciled at once so the
// ledger follows the key system's real state instead of staying `manual_action`.
import { auditTypes } from "../audit/audit-catalog";
import type { GrantLedger, WorkItem } from "../reconcile/grant-ledger";
import {
  checkOperatorRequest,
  type OperatorDeps,
  type OperatorRequest,
  operatorPersonEvent,
} from "./operator-request";
import { enqueueReconcile } from "../reconcile/enqueue-reconcile";

export async function listWorkItems(
  ledger: GrantLedger,
  tenants: string[],
  filter: { personId?: string; system?: string } = {},
): Promise<WorkItem[]> {
  const items: WorkItem[] = [];
  for (const tenant of tenants) items.push(...(await ledger.listWorkItems(tenant)));
  return items.filter(
    (w) =>
      (filter.personId === undefined || w.personId === filter.personId) &&
      (filter.system === undefined || w.system === filter.system),
  );
}

/** The item with that id in one of `tenants` (ids are random UUIDs: at most one matches). */
export async function findWorkItem(
  ledger: GrantLedger,
  tenants: string[],
  id: string,
): Promise<WorkItem | null> {
  for (const tenant of tenants) {
    const item = await ledger.workItem(tenant, id);
    if (item) return item;
  }
  return null;
}

/**
 * Closes the item. When it was the person's last open item in that key system, a manual-action
 * attention flag goes too (it stood for the work item). Returns null when no such item is open.
 */
export async function completeWorkItem(
  deps: OperatorDeps,
  target: { tenants: string[]; id: string },
  request: OperatorRequest,
): Promise<WorkItem | null> {
  checkOperatorRequest(request);
  const item = await findWorkItem(deps.ledger, target.tenants, target.id);
  if (!item || !(await deps.ledger.closeWorkItem(item.tenant, item.id))) return null;
  const left = await listWorkItems(deps.ledger, [item.tenant], item);
  const flag = await deps.ledger.attention(item.tenant, item.system, item.personId);
  const clearFlag = left.length === 0 && (flag?.kind === "manual_action" || flag?.kind === "manual_task");
  if (clearFlag) await deps.ledger.clearAttention(item.tenant, item.system, item.personId);
  const correlationId = item.correlationId ?? `operator|${deps.newId()}`;
  await deps.audit.append(
    operatorPersonEvent(auditTypes.operatorManualActionDone, item, request, correlationId, {
      workItemId: item.id,
      system: item.system,
      task: item.task.kind,
      attentionCleared: clearFlag,
    }),
  );
  const job = { tenant: item.tenant, personId: item.personId, trigger: "operator" as const, correlationId };
  await enqueueReconcile(deps, job, { systems: [item.system] });
  return item;
}

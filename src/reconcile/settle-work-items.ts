// The reconcile step for manual work: close the person's open work items whose condition the key system
// now shows met, open one item per new task the driver reported, both audited, and return the ids still
// open (kept on the holder record, so the next run knows what to look at without scanning the tenant).
import type { Observation } from "../drivers/key-system-driver";
import type { AppliedPlan } from "./apply-plan";
import { closeReason, workItemId } from "./close-work-items";
import type { LedgerEntry } from "./ledger-entry";
import { type AuditScope, auditPerson, RECONCILE_AUDIT } from "./reconcile-audit";
import type { ReconcileDeps } from "./reconcile-deps";

export interface WorkItemStep {
  openIds: string[] | undefined;
  applied: AppliedPlan | null;
  observation: Observation;
  entries: LedgerEntry[];
  now: Date;
}

export async function settleWorkItems(
  deps: Pick<ReconcileDeps, "ledger">,
  scope: AuditScope,
  step: WorkItemStep,
): Promise<string[]> {
  const open = new Set<string>();
  for (const item of await deps.ledger.workItems(scope.tenant, step.openIds ?? [])) {
    const reason = closeReason(item, step);
    if (!reason) {
      open.add(item.id);
      continue;
    }
    if (await deps.ledger.closeWorkItem(scope.tenant, item.id)) {
      await auditPerson(scope, RECONCILE_AUDIT.workItemClosed, "success", {
        workItemId: item.id,
        task: item.task.kind,
        credentialId: item.task.credentialId ?? null,
        reason,
      });
    }
  }
  for (const task of step.applied?.manualTasks ?? []) {
    const id = workItemId(scope.system, scope.personId, task);
    open.add(id);
    const item = {
      id,
      tenant: scope.tenant,
      system: scope.system,
      personId: scope.personId,
      task,
      createdAt: step.now.toISOString(),
      correlationId: scope.correlationId,
    };
    if (!(await deps.ledger.addWorkItem(item))) continue; // already open: reported again, not reopened
    await auditPerson(
      scope,
      RECONCILE_AUDIT.needsAttention,
      "pending",
      { workItemId: id, task: task.kind, credentialId: task.credentialId ?? null },
      task.reason,
    );
  }
  return [...open].sort();
}

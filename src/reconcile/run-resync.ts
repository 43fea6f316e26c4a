// A full resync of one key system: every person of every tenant is enqueued at resync priority,
// coalescing with jobs already waiting. Catches lost events and changes made in a vendor console.
import { RECONCILE_AUDIT } from "./reconcile-audit";
import type { ReconcileDeps } from "./reconcile-deps";
import { PRIORITY, type ResyncJobData } from "./reconcile-job";

export const RESYNC_PAGE_SIZE = 1000;

export async function runResync(
  system: string,
  job: ResyncJobData,
  deps: ReconcileDeps & { tenants: () => Promise<string[]> },
): Promise<{ persons: number }> {
  let persons = 0;
  const record = (type: string, outcome: "pending" | "success", data: Record<string, unknown>) =>
    deps.audit.append({
      type,
      actor: "scheduler",
      subject: { kind: "key_system", id: system },
      correlationId: job.correlationId,
      outcome,
      data,
    });
  await record(RECONCILE_AUDIT.resyncStarted, "pending", {});
  // Before any enqueue: a person whose change-triggered job is already waiting keeps that job (BullMQ
  // deduplication drops this add), and the new epoch makes that job observe instead of shortcutting.
  await deps.ledger.startResyncEpoch(system);
  for (const tenant of await deps.tenants()) {
    for await (const page of deps.directory.scanPersonIds(tenant, RESYNC_PAGE_SIZE)) {
      const jobs = page.map((personId) => ({
        tenant,
        personId,
        trigger: "resync" as const,
        correlationId: job.correlationId,
      }));
      await deps.queues.enqueueBulk(system, jobs, PRIORITY.resync);
      persons += page.length;
    }
  }
  await record(RECONCILE_AUDIT.resyncCompleted, "success", { persons });
  return { persons };
}

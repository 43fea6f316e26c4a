// A full resync of one key system: every person of every tenant is enqueued at resync priority, in
// batch jobs (run-resync-batch.ts) or, where batches do not apply, one coalesced reconcile per person.
// Catches lost events and changes made in a vendor console.
import { RECONCILE_AUDIT } from "./reconcile-audit";
import type { ReconcileDeps } from "./reconcile-deps";
import { PRIORITY, type ResyncJobData } from "./reconcile-job";
import {
  chunkPersons,
  DEFAULT_RESYNC_BATCH,
  RESYNC_BATCH_JOB,
  RESYNC_BATCH_PRIORITY,
  type ResyncBatchJobData,
} from "./resync-batch-job";

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
  const batchSize = resyncBatchSize(system, deps);
  for (const tenant of await deps.tenants()) {
    for await (const page of deps.directory.scanPersonIds(tenant, RESYNC_PAGE_SIZE)) {
      if (batchSize > 1) await enqueueBatches(system, tenant, page, batchSize, job, deps);
      else {
        const jobs = page.map((personId) => ({
          tenant,
          personId,
          trigger: "resync" as const,
          correlationId: job.correlationId,
        }));
        await deps.queues.enqueueBulk(system, jobs, PRIORITY.resync);
      }
      persons += page.length;
    }
  }
  await record(RECONCILE_AUDIT.resyncCompleted, "success", { persons });
  return { persons };
}

/**
 * Persons per resync job. Observe mode stays one job per person: there every person's run records its
 * plan in the audit trail, so a batch would hand everyone over anyway.
 */
function resyncBatchSize(system: string, deps: ReconcileDeps): number {
  if (deps.settings(system).mode === "observe") return 1;
  const settings = deps.resyncBatch ? deps.resyncBatch(system) : DEFAULT_RESYNC_BATCH;
  return settings?.persons ?? 1;
}

/**
 * No deduplication id: a batch is not one person's run. A person whose own reconcile waits or runs
 * meanwhile is still looked at by the batch, which then leaves them alone if their ledger changed
 * (GrantLedger.writeHolderIfUnchanged) or hands them to that per-person job (BullMQ coalesces the add).
 */
async function enqueueBatches(
  system: string,
  tenant: string,
  page: string[],
  size: number,
  job: ResyncJobData,
  deps: ReconcileDeps,
): Promise<void> {
  await deps.queues.queue(system).addBulk(
    chunkPersons(page, size).map((personIds) => ({
      name: RESYNC_BATCH_JOB,
      data: {
        tenant,
        personIds,
        trigger: "resync",
        correlationId: job.correlationId,
      } satisfies ResyncBatchJobData,
      opts: { priority: RESYNC_BATCH_PRIORITY },
    })),
  );
}

// "Reconcile this person now": enqueues the person in every key system at the priority the pipeline
// would choose (revocation priority when the plan would take access away, classify-priority.ts),
// lifts a job waiting out a retry backoff to run at once, and audits operator.reconcile_requested.
import { auditTypes } from "../audit/audit-catalog";
import { type EnqueueOutcome, enqueueReconcile } from "../reconcile/enqueue-reconcile";
import { reconcileDedupeId } from "../reconcile/reconcile-job";
import {
  checkOperatorRequest,
  type OperatorDeps,
  type OperatorRequest,
  operatorPersonEvent,
} from "./operator-request";

export interface ReconcileRequested {
  correlationId: string;
  /** Per key system: the priority enqueued at, or "deferred" (system not configured). */
  systems: Record<string, number | "deferred">;
}

export async function requestReconcile(
  deps: OperatorDeps,
  target: { tenant: string; personId: string },
  request: OperatorRequest,
): Promise<ReconcileRequested> {
  checkOperatorRequest(request);
  const correlationId = `operator|${deps.newId()}`;
  const outcome = await enqueueReconcile(deps, { ...target, trigger: "operator", correlationId });
  await promoteWaiting(deps, target, outcome);
  const systems = Object.fromEntries(outcome);
  await deps.audit.append(
    operatorPersonEvent(auditTypes.operatorReconcileRequested, target, request, correlationId, { systems }),
  );
  return { correlationId, systems };
}

/**
 * An add coalesces into the person's job already there; when that job sits out a retry backoff
 * (delayed), "now" means moving it to the front of its priority rather than waiting minutes.
 */
async function promoteWaiting(
  deps: OperatorDeps,
  target: { tenant: string; personId: string },
  outcome: EnqueueOutcome,
): Promise<void> {
  for (const [system, priority] of outcome) {
    if (priority === "deferred") continue;
    const queue = deps.queues.queue(system);
    const jobId = await queue.getDeduplicationJobId(reconcileDedupeId(target.tenant, target.personId));
    const job = jobId ? await queue.getJob(jobId) : undefined;
    if (job && (await job.getState()) === "delayed") await job.promote().catch(() => undefined);
  }
}

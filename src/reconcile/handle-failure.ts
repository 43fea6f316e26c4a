// Turns a failed reconcile into the retry policy's decision: BullMQ retry, rate-limit pause, a
// needs-attention flag without a retry storm, or a paused key system with an alert (ARCHITECTURE §3).
import { type Job, RateLimitError, UnrecoverableError } from "bullmq";
import type { Logger } from "../log/logger";
import { isCredentialUnavailable } from "./credential-unavailable-error";
import type { LedgerError } from "./ledger-entry";
import { auditPerson, RECONCILE_AUDIT } from "./reconcile-audit";
import type { ReconcileDeps } from "./reconcile-deps";
import type { ReconcileJobData } from "./reconcile-job";
import { decideFailure } from "./retry-policy";

export const FAILURE_LOG = {
  rateLimited: "key system rate limit: queue paused for the vendor's wait",
  needsAttention: "reconcile failed permanently: person needs attention",
  systemPaused: "key system rejected the bridge: queue paused, operator action needed",
  retry: "reconcile failed: will retry",
  internal: "internal error",
} as const;

export const DEFAULT_RATE_LIMIT_MS = 5_000;

export function toLedgerError(err: unknown, at: Date): LedgerError {
  const e = err as { code?: unknown; kind?: unknown; message?: unknown };
  const isDriver =
    typeof e?.code === "string" && (e.code.startsWith("DRIVER_") || isCredentialUnavailable(err));
  return {
    code: isDriver ? (e.code as string) : "INTERNAL",
    kind: isDriver && typeof e.kind === "string" ? e.kind : "unknown",
    // Driver and planner messages are constants without personal data; others may not be.
    message: isDriver && typeof e.message === "string" ? e.message : FAILURE_LOG.internal,
    at: at.toISOString(),
  };
}

/** Never returns: rethrows what BullMQ needs to see for the decided outcome. */
export async function handleFailure(
  err: unknown,
  job: Job<ReconcileJobData>,
  system: string,
  deps: ReconcileDeps,
  log: Logger,
  /** The generation the failed run read, if it got that far. */
  generation?: number,
): Promise<never> {
  const decision = decideFailure(err, {
    attemptsMade: job.attemptsMade,
    maxAttempts: job.opts.attempts ?? 1,
    defaultRateLimitMs: DEFAULT_RATE_LIMIT_MS,
  });
  const { tenant, personId, correlationId } = job.data;
  const now = deps.clock.now();
  const error = toLedgerError(err, now);
  const scope = { audit: deps.audit, tenant, system, personId, correlationId };
  switch (decision.action) {
    case "rate_limit":
      log.warn({ system, delayMs: decision.delayMs }, FAILURE_LOG.rateLimited);
      await deps.queues.queue(system).rateLimit(decision.delayMs);
      throw new RateLimitError();
    case "pause_system":
      await deps.queues.queue(system).pause();
      log.error({ system, code: error.code }, FAILURE_LOG.systemPaused);
      await deps.audit.append({
        type: RECONCILE_AUDIT.systemPaused,
        actor: "worker",
        subject: { kind: "key_system", id: system },
        correlationId,
        outcome: "failure",
        reason: error.code,
        data: { error },
      });
      // Back to the (now paused) queue without using an attempt: it runs once an operator resumes.
      await deps.queues.queue(system).rateLimit(1);
      throw new RateLimitError();
    case "needs_attention": {
      const state = decision.kind === "manual_action" ? "manual_action" : "failed";
      await deps.ledger.recordError(tenant, system, personId, error, state);
      await deps.ledger.flagAttention(tenant, {
        system,
        personId,
        kind: decision.kind,
        error,
        at: error.at,
        correlationId,
      });
      if (decision.kind === "manual_action") {
        const item = {
          id: deps.newId(),
          tenant,
          system,
          personId,
          task: { kind: "other" as const, reason: error.code },
          createdAt: error.at,
          correlationId,
        };
        await deps.ledger.addWorkItem(item);
        await auditPerson(
          scope,
          RECONCILE_AUDIT.needsAttention,
          "pending",
          { workItemId: item.id, task: "other" },
          error.code,
        );
      }
      await auditPerson(scope, RECONCILE_AUDIT.needsAttention, "failure", { error }, decision.kind);
      log.warn({ system, tenant, personId, code: error.code }, FAILURE_LOG.needsAttention);
      // The decision is made and recorded: this generation no longer counts as dirty (no sweep storm).
      // A newer generation stays dirty, so a change made meanwhile is still reconciled.
      if (generation !== undefined) await deps.dirty.markReconciled(tenant, system, personId, generation);
      throw new UnrecoverableError(error.code);
    }
    case "retry":
      await deps.ledger.recordError(tenant, system, personId, error);
      if (decision.flagOnExhaustion) {
        await deps.ledger.flagAttention(tenant, {
          system,
          personId,
          kind: "retries_exhausted",
          error,
          at: error.at,
          correlationId,
        });
        await auditPerson(scope, RECONCILE_AUDIT.needsAttention, "failure", { error }, "retries_exhausted");
      }
      log.warn(
        { system, tenant, personId, code: error.code, err: decision.kind === "unknown" ? err : undefined },
        FAILURE_LOG.retry,
      );
      throw err;
  }
}

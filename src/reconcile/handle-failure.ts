// Turns a failed reconcile into the retry policy's decision: BullMQ retry, rate-limit pause, a
// needs-attention flag without a retry storm, or a paused key system with an alert (ARCHITECTURE §3).
import { type Job, RateLimitError, UnrecoverableError } from "bullmq";
import type { Logger } from "../log/logger";
import { isCredentialUnavailable } from "./credential-unavailable-error";
import type { AttentionFlag } from "./grant-ledger";
import type { LedgerError } from "./ledger-entry";
import { auditPerson, RECONCILE_AUDIT } from "./reconcile-audit";
import type { ReconcileDeps } from "./reconcile-deps";
import { PRIORITY, type ReconcileJobData } from "./reconcile-job";
import { decideFailure } from "./retry-policy";

export const FAILURE_LOG = {
  rateLimited: "key system rate limit: queue paused for the vendor's wait",
  needsAttention: "reconcile failed permanently: person needs attention",
  systemPaused: "key system rejected the bridge: queue paused, operator action needed",
  retry: "reconcile failed: will retry",
  internal: "internal error",
} as const;

export const DEFAULT_RATE_LIMIT_MS = 5_000;
/** An internal error's message is kept for the operator (ledger, attention), cut to this length. */
const MAX_INTERNAL_MESSAGE = 200;

export function toLedgerError(err: unknown, at: Date): LedgerError {
  const e = err as { code?: unknown; kind?: unknown; message?: unknown };
  const isDriver =
    typeof e?.code === "string" && (e.code.startsWith("DRIVER_") || isCredentialUnavailable(err));
  const message = typeof e?.message === "string" && e.message !== "" ? e.message : FAILURE_LOG.internal;
  return {
    code: isDriver ? (e.code as string) : "INTERNAL",
    kind: isDriver && typeof e.kind === "string" ? e.kind : "unknown",
    // An operator needs the cause to act on a stuck leaver; it stays in the ledger, not in logs.
    message: isDriver ? message : message.slice(0, MAX_INTERNAL_MESSAGE),
    at: at.toISOString(),
  };
}

/**
 * The error as the (permanent) audit trail keeps it: driver messages are constants without personal
 * data (driver contract); an internal error's message may quote data, so only its code goes there.
 */
function auditedError(error: LedgerError): Omit<LedgerError, "message"> & { message?: string } {
  if (error.code !== "INTERNAL") return error;
  const { message: _message, ...rest } = error;
  return rest;
}

/** What the failed run knew: the generation it read and whether it was taking access away. */
export interface FailureContext {
  generation?: number;
  /** Unset when the run failed before it could tell; the job's priority then decides. */
  removesAccess?: boolean;
}

/** Never returns: rethrows what BullMQ needs to see for the decided outcome. */
export async function handleFailure(
  err: unknown,
  job: Job<ReconcileJobData>,
  system: string,
  deps: ReconcileDeps,
  log: Logger,
  run: FailureContext = {},
): Promise<never> {
  const { generation } = run;
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
      await auditPerson(
        scope,
        RECONCILE_AUDIT.needsAttention,
        "failure",
        { error: auditedError(error) },
        decision.kind,
      );
      log.warn({ system, tenant, personId, code: error.code }, FAILURE_LOG.needsAttention);
      // The decision is made and recorded: this generation no longer counts as dirty (no sweep storm).
      // A newer generation stays dirty, so a change made meanwhile is still reconciled.
      if (generation !== undefined) await deps.dirty.markReconciled(tenant, system, personId, generation);
      throw new UnrecoverableError(error.code);
    }
    case "retry": {
      await deps.ledger.recordError(tenant, system, personId, error);
      // A leaver whose revocation throws is flagged at the first failure, not after an hour of
      // retries; the job keeps retrying at revocation priority meanwhile (issue #9 item 2).
      const removal = run.removesAccess ?? job.opts.priority === PRIORITY.revocation;
      const flagKind = decision.flagOnExhaustion
        ? "retries_exhausted"
        : removal
          ? "revocation_failing"
          : undefined;
      if (flagKind) await flagOnce(deps, scope, flagKind, error);
      if (removal && job.opts.priority !== PRIORITY.revocation) {
        // BullMQ keeps the priority for the retry of a job that is not waiting (reconcile-queues.ts).
        await job.changePriority({ priority: PRIORITY.revocation }).catch(() => undefined);
      }
      log.warn(
        { system, tenant, personId, code: error.code, err: decision.kind === "unknown" ? err : undefined },
        FAILURE_LOG.retry,
      );
      throw err;
    }
  }
}

/** Sets the attention flag; audits it only when it is new or of another kind (no record per retry). */
async function flagOnce(
  deps: ReconcileDeps,
  scope: Parameters<typeof auditPerson>[0],
  kind: AttentionFlag["kind"],
  error: LedgerError,
): Promise<void> {
  const { tenant, system, personId, correlationId } = scope;
  const previous = await deps.ledger.attention(tenant, system, personId);
  await deps.ledger.flagAttention(tenant, { system, personId, kind, error, at: error.at, correlationId });
  if (previous?.kind === kind) return;
  await auditPerson(scope, RECONCILE_AUDIT.needsAttention, "failure", { error: auditedError(error) }, kind);
}

// The audit records the pipeline writes (types from audit/audit-catalog.ts), built in one place.
import { type AuditType, auditTypes } from "../audit/audit-catalog";
import type { AuditEventInput, AuditSink } from "../audit/audit-event";
import type { GrantState, LedgerEntry } from "./ledger-entry";

export const RECONCILE_AUDIT = {
  desiredChanged: auditTypes.accessDesiredChanged,
  planComputed: auditTypes.accessPlanComputed,
  planObserved: auditTypes.accessObserveOnlyPlan,
  driverCall: auditTypes.driverCall,
  driverResult: auditTypes.driverResult,
  driverError: auditTypes.driverError,
  needsAttention: auditTypes.accessNeedsAttention,
  workItemClosed: auditTypes.workItemClosed,
  systemPaused: auditTypes.systemPaused,
  resyncStarted: auditTypes.resyncStarted,
  resyncCompleted: auditTypes.resyncCompleted,
} as const;

const GRANT_STATE_TYPES: Record<GrantState, AuditType> = {
  scheduled: auditTypes.grantScheduled,
  requested: auditTypes.grantRequested,
  pending_programming: auditTypes.grantPending,
  pending_propagation: auditTypes.grantPending,
  effective: auditTypes.grantEffective,
  failed: auditTypes.grantFailed,
  manual_action: auditTypes.grantManualAction,
};

const REVOCATION_STATE_TYPES: Record<GrantState, AuditType> = {
  scheduled: auditTypes.revocationScheduled,
  requested: auditTypes.revocationRequested,
  pending_programming: auditTypes.revocationPending,
  pending_propagation: auditTypes.revocationPending,
  effective: auditTypes.revocationEffective,
  failed: auditTypes.revocationFailed,
  manual_action: auditTypes.revocationManualAction,
};

/** The catalog type of one ledger entry reaching a state. */
export function stateAuditType(action: LedgerEntry["action"], state: GrantState): AuditType {
  return (action === "grant" ? GRANT_STATE_TYPES : REVOCATION_STATE_TYPES)[state];
}

export const WORKER_ACTOR = "worker";

export interface AuditScope {
  audit: AuditSink;
  tenant: string;
  system: string;
  personId: string;
  correlationId: string;
}

export async function auditPerson(
  scope: AuditScope,
  type: string,
  outcome: AuditEventInput["outcome"],
  data: Record<string, unknown>,
  reason?: string,
): Promise<void> {
  const event: AuditEventInput = {
    type,
    tenant: scope.tenant,
    actor: WORKER_ACTOR,
    subject: { kind: "person", id: scope.personId },
    correlationId: scope.correlationId,
    outcome,
    data: { system: scope.system, ...data },
  };
  if (reason !== undefined) event.reason = reason;
  await scope.audit.append(event);
}

/**
 * One record per ledger entry whose action or state moved (the effect-state trail). The records are
 * handed to the trail in order at once (it appends in call order), so a run does not wait for each.
 */
export async function auditStateChanges(
  scope: AuditScope,
  before: LedgerEntry[],
  after: LedgerEntry[],
): Promise<void> {
  const previous = new Map(before.map((e) => [e.profile, e]));
  const appends: Promise<void>[] = [];
  for (const entry of after) {
    const prev = previous.get(entry.profile);
    if (prev && prev.action === entry.action && prev.state === entry.state) continue;
    const outcome =
      entry.state === "effective"
        ? "success"
        : entry.state === "failed" || entry.state === "manual_action"
          ? "failure"
          : "pending";
    appends.push(
      auditPerson(scope, stateAuditType(entry.action, entry.state), outcome, {
        profile: entry.profile,
        action: entry.action,
        from: prev && prev.action === entry.action ? prev.state : null,
        to: entry.state,
        exposureUntil: entry.exposureUntil ?? null,
        // requested → effective is the revocation clock auditors and /metrics read (observing-audit.ts).
        requestedAt: entry.requestedAt,
        rules: entry.reasons,
      }),
    );
  }
  await Promise.all(appends);
}

/** Records which profiles the mappings now want that they did not before, and the rules behind them. */
export async function auditDesiredChange(
  scope: AuditScope,
  before: LedgerEntry[],
  desired: Array<{ profile: string; reasons: string[] }>,
): Promise<void> {
  const held = new Set(before.filter((e) => e.action === "grant").map((e) => e.profile));
  const wanted = new Set(desired.map((d) => d.profile));
  const added = desired.filter((d) => !held.has(d.profile));
  const removed = [...held].filter((p) => !wanted.has(p));
  if (added.length === 0 && removed.length === 0) return;
  await auditPerson(scope, RECONCILE_AUDIT.desiredChanged, "success", {
    added: added.map((d) => ({ profile: d.profile, rules: d.reasons })),
    removed: removed.map((profile) => ({
      profile,
      rules: before.find((e) => e.profile === profile)?.reasons ?? [],
    })),
  });
}

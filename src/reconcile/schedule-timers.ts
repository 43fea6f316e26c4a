// Keeps a person's delayed jobs in step with their validity dates: a revocation at the next future
// notAfter, a grant at the next future notBefore, and a confirm while an effect is still pending.
import type { DesiredGrant } from "../access/desired-grant";
import { type AuditType, auditTypes } from "../audit/audit-catalog";
import { type AuditScope, auditPerson } from "./reconcile-audit";
import { isPendingState, type PersonLedger } from "./ledger-entry";
import type { ReconcileDeps } from "./reconcile-deps";
import { PRIORITY, type ReconcileJobData, type TimerKind } from "./reconcile-job";

export const DEFAULT_CONFIRM_AFTER_MS = 60_000;
export const DEFAULT_WORK_ITEM_RECHECK_MS = 300_000;

/** The earliest instant after `now` among the given ISO times, or null. */
export function nextInstant(times: Array<string | undefined>, now: Date): Date | null {
  let best: number | null = null;
  for (const t of times) {
    if (t === undefined) continue;
    const ms = Date.parse(t);
    if (ms > now.getTime() && (best === null || ms < best)) best = ms;
  }
  return best === null ? null : new Date(best);
}

/** The due time of each timer kind for this person (null: no timer). Pure. */
export function timerTargets(
  desired: DesiredGrant[],
  ledger: PersonLedger,
  now: Date,
  confirmAfterMs: number,
  workItemRecheckMs = DEFAULT_WORK_ITEM_RECHECK_MS,
): Record<TimerKind, Date | null> {
  const pending = ledger.entries.some((e) => isPendingState(e.state));
  // An open work item (a key to hand out or in) closes itself once the key system shows it done;
  // someone must look: slower than a pending effect, since people, not devices, are the bottleneck.
  const recheck = (ledger.holder.workItems?.length ?? 0) > 0;
  const confirmIn = pending ? confirmAfterMs : recheck ? workItemRecheckMs : null;
  return {
    valid_until: nextInstant(
      desired.map((d) => d.notAfter),
      now,
    ),
    valid_from: nextInstant(
      desired.map((d) => d.notBefore),
      now,
    ),
    confirm: confirmIn === null ? null : new Date(now.getTime() + confirmIn),
  };
}

/**
 * The queue priority of a timer of this kind. Pure. Revocation first (ARCHITECTURE §2): a validity
 * end takes access away, and so does confirming a revocation still pending at the locks — that
 * confirm (and the reconcile it hands over to) must not wait behind a grant backlog at priority 5.
 */
export function timerPriority(kind: TimerKind, ledger: PersonLedger): number {
  if (kind === "valid_until") return PRIORITY.revocation;
  if (kind === "valid_from") return PRIORITY.change;
  const revoking = ledger.entries.some((e) => e.action === "revoke" && isPendingState(e.state));
  return revoking ? PRIORITY.revocation : PRIORITY.change;
}

/** Sets, re-times or cancels the delayed jobs, and records their due times in `ledger.holder.timers`. */
export async function scheduleTimers(
  deps: ReconcileDeps,
  system: string,
  job: ReconcileJobData,
  desired: DesiredGrant[],
  ledger: PersonLedger,
  now: Date,
  scope: AuditScope,
): Promise<void> {
  const targets = timerTargets(
    desired,
    ledger,
    now,
    deps.confirmAfterMs ?? DEFAULT_CONFIRM_AFTER_MS,
    deps.workItemRecheckMs,
  );
  const previous = ledger.holder.timers ?? {};
  const timers: Partial<Record<TimerKind, string>> = {};
  for (const kind of Object.keys(targets) as TimerKind[]) {
    const at = targets[kind];
    const before = previous[kind];
    const priority = timerPriority(kind, ledger);
    if (at) timers[kind] = at.toISOString();
    // A confirm keeps its first due time while effects stay pending, so it is not pushed back forever.
    // setTimer for that same time re-adds the job if it went missing (the ledger alone does not prove it
    // is queued) and sets its priority: a revocation that became pending meanwhile raises it to 1.
    if (kind === "confirm" && at && before && Date.parse(before) > now.getTime()) {
      timers[kind] = before;
      await deps.queues.setTimer(system, kind, job, new Date(before), before, now, priority);
      continue;
    }
    if (!at && !before) continue;
    if (at && before === at.toISOString()) continue;
    await deps.queues.setTimer(system, kind, job, at, before, now, priority);
    const type = timerAuditType(kind, at, before, now);
    if (type)
      await auditPerson(scope, type, "pending", { at: at?.toISOString() ?? null, previous: before ?? null });
  }
  if (Object.keys(timers).length > 0) ledger.holder.timers = timers;
  else delete ledger.holder.timers;
}

/** Validity timers are decisions worth a record; confirm timers are housekeeping. */
function timerAuditType(
  kind: TimerKind,
  at: Date | null,
  before: string | undefined,
  now: Date,
): AuditType | null {
  const pendingBefore = before !== undefined && Date.parse(before) > now.getTime();
  if (kind === "valid_from") return at ? auditTypes.grantScheduled : null;
  if (kind !== "valid_until") return null;
  if (!at) return pendingBefore ? auditTypes.revocationCancelled : null;
  return pendingBefore ? auditTypes.revocationRescheduled : auditTypes.revocationScheduled;
}

// The reconcile job's shape, names and priorities. A job carries only keys, never person data, so a
// replay or a late run always works from the directory's current state (ARCHITECTURE §2).
import type { PersonChangeKind } from "../store/directory-change";

export type ReconcileTrigger =
  | PersonChangeKind
  | "resync"
  | "sweep"
  | "valid_from"
  | "valid_until"
  | "confirm"
  | "generation_moved"
  | "operator"
  | "signal";

export interface ReconcileJobData {
  tenant: string;
  personId: string;
  trigger: ReconcileTrigger;
  correlationId: string;
}

/** Data of the scheduled full resync of one key system. */
export interface ResyncJobData {
  trigger: "resync";
  correlationId: string;
}

export const JOB_NAMES = {
  /** Reconcile one person in the queue's key system. */
  reconcile: "reconcile",
  /** A delayed time trigger (validity start/end, effect confirmation): enqueues a reconcile when due. */
  timer: "timer",
  /** Enqueue every person of every tenant (job scheduler and start-up). */
  resync: "resync",
} as const;

/**
 * BullMQ runs jobs WITHOUT priority before all prioritised ones (scimmy-and-bullmq.md B2/B4), so every
 * job gets one: 1 for anything that takes access away, 5 for other changes, 10 for resync sweeps.
 */
export const PRIORITY = { revocation: 1, change: 5, resync: 10 } as const;

export type TimerKind = "valid_from" | "valid_until" | "confirm";

/** Deduplication id: one waiting (and one running) reconcile per (tenant, person) in a system queue. */
export function reconcileDedupeId(tenant: string, personId: string): string {
  return `rc|${tenant}|${safeIdPart(personId)}`;
}

/**
 * Deterministic timer job id, one per (kind, person, due time) in a system queue. The due time is part
 * of the id because BullMQ ignores an add whose id a job still holds in any state (scimmy-and-bullmq.md
 * B2): a confirm timer is still active, or promoted and waiting, when the reconcile it handed over to
 * sets the next confirm, and with one id per person that next timer was silently dropped while the
 * ledger recorded it — a grant stayed pending_programming for good. A new due time never collides with
 * a timer that is running or due (it lies after the run's clock; theirs do not).
 */
export function timerJobId(kind: TimerKind, tenant: string, personId: string, dueAt: Date | string): string {
  const ms = typeof dueAt === "string" ? Date.parse(dueAt) : dueAt.getTime();
  return `${kind}|${tenant}|${safeIdPart(personId)}|${ms}`;
}

// BullMQ refuses custom ids containing ':' unless they have exactly three ':'-parts (B2).
function safeIdPart(part: string): string {
  return part.replaceAll(":", "%3A");
}

/** Priority of a change as the SCIM edge reports it, before any plan exists. */
export function priorityOfChange(kind: PersonChangeKind): number {
  return kind === "deactivated" || kind === "deleted" ? PRIORITY.revocation : PRIORITY.change;
}

/**
 * The priority a due timer hands its person over at: the timer's own, which schedule-timers.ts chose
 * from the ledger (a confirm of a pending revocation runs at 1), and never below what its kind needs.
 */
export function timerHandoverPriority(trigger: ReconcileTrigger, timerPriority: number | undefined): number {
  const floor = trigger === "valid_until" ? PRIORITY.revocation : PRIORITY.change;
  // 0 means "no priority" in BullMQ, which would run before every prioritised job: never hand that on.
  return timerPriority !== undefined && timerPriority > 0 ? Math.min(timerPriority, floor) : floor;
}

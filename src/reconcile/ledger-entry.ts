// The grant ledger's record shapes: per (tenant, person, key system, profile), the state of a grant
// or revocation on its way requested → pending → effective (ARCHITECTURE §2, key-systems.md §5).
import type { Effect, WeeklySchedule } from "../drivers/key-system-driver";

export type GrantState =
  | "scheduled" // desired from a future notBefore the lock cannot enforce; a delayed job will grant it
  | "requested" // decided; the driver call is under way or being retried
  | "pending_programming" // the vendor holds it; a key or credential must still be programmed
  | "pending_propagation" // a blocklist is spreading to locks
  | "effective" // in effect at the doors (for a revocation: the only "done")
  | "failed" // the vendor refused it (permanent error); needs attention
  | "manual_action"; // an operator must act (hand in a key, program with a manager)

export interface LedgerError {
  code: string;
  kind: string;
  message: string;
  at: string;
}

export interface LedgerEntry {
  profile: string;
  action: "grant" | "revoke";
  state: GrantState;
  vendorRefs: string[];
  notBefore?: string;
  notAfter?: string;
  /** The profile's weekly schedule (grants only): a changed schedule is a new target to make effective. */
  schedule?: WeeklySchedule;
  /** The rules behind the grant (for a revocation: the rules that used to grant it). */
  reasons: string[];
  /** Latest time the previous access might still open a door (driver estimate). */
  exposureUntil?: string;
  lastError?: LedgerError;
  requestedAt: string;
  updatedAt: string;
  effectiveAt?: string;
}

/** What the bridge wrote about the holder; planning uses it so an unchanged holder costs no write. */
export interface HolderRecord {
  holderId?: string;
  specHash?: string;
  deactivatedAt?: string;
  removedAt?: string;
  lastError?: LedgerError;
  /** Due times (ISO) of this person's pending timers, so a changed date re-times the delayed job. */
  timers?: Partial<Record<"valid_from" | "valid_until" | "confirm", string>>;
  /** Open work items the reconcile closes itself when their condition is met (close-work-items.ts). */
  workItems?: string[];
  /** Generation of the person last reconciled into this key system. */
  generation?: number;
  reconciledAt?: string;
  /**
   * Fingerprint of the plan inputs (besides the observation) of the last run that observed the key
   * system and left every entry effective: lets a change-triggered run skip observe (converged-shortcut.ts).
   */
  convergedHash?: string;
  /**
   * The key system's resync epoch (GrantLedger.resyncEpoch) when that observed run started: a full
   * resync started since then makes the next run observe, even one a change triggered.
   */
  convergedEpoch?: number;
}

export interface PersonLedger {
  holder: HolderRecord;
  entries: LedgerEntry[];
}

export const emptyPersonLedger = (): PersonLedger => ({ holder: {}, entries: [] });

/** How a driver Effect reads in the ledger; `applied` needs no physical step, so it is in effect. */
export function stateOfEffect(effect: Effect): GrantState {
  switch (effect) {
    case "applied":
    case "effective":
      return "effective";
    case "manual_action_required":
      return "manual_action";
    default:
      return effect;
  }
}

const DONENESS: Record<Effect, number> = {
  manual_action_required: 0,
  pending_programming: 1,
  pending_propagation: 2,
  applied: 3,
  effective: 4,
};

/** The least-done of several effects: a run is only as done as its slowest step. */
export function weakestEffect(effects: Effect[]): Effect | undefined {
  return effects.reduce<Effect | undefined>(
    (worst, e) => (worst === undefined || DONENESS[e] < DONENESS[worst] ? e : worst),
    undefined,
  );
}

export const isPendingState = (s: GrantState) =>
  s === "requested" || s === "pending_programming" || s === "pending_propagation";

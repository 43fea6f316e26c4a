// Computes the ledger entries after one reconcile step: pure, so every state transition is tested.
import type { DesiredGrant } from "../access/desired-grant";
import { DEAD_CREDENTIAL_STATUSES, isExpired, isFuture } from "../access/grant-specs";
import type { Effect, Observation } from "../drivers/key-system-driver";
import { normaliseSchedule, scheduleKey } from "../drivers/weekly-schedule";
import { type GrantState, type LedgerEntry, stateOfEffect } from "./ledger-entry";

/** Where the run is: before the driver calls, after them, or nothing to write (confirm from observation). */
export type RunOutcome =
  | { phase: "planned" }
  | { phase: "applied"; effect: Effect; exposureUntil?: string }
  | { phase: "unchanged" };

export interface LedgerStepInput {
  previous: LedgerEntry[];
  /** Desired grants of this key system (empty for a deactivated or deleted person). */
  desired: DesiredGrant[];
  observation: Observation;
  outcome: RunOutcome;
  enforcesValidity: boolean;
  now: Date;
}

type Target = Pick<
  LedgerEntry,
  "profile" | "action" | "vendorRefs" | "notBefore" | "notAfter" | "schedule" | "reasons"
>;

export function nextLedgerEntries(input: LedgerStepInput): LedgerEntry[] {
  const { now } = input;
  const previous = new Map(input.previous.map((e) => [e.profile, e]));
  const targets: Target[] = [];
  for (const d of input.desired) {
    if (isExpired(d, now)) continue;
    targets.push({
      profile: d.profile,
      action: "grant",
      vendorRefs: [...d.vendorRefs].sort(),
      notBefore: d.notBefore,
      notAfter: d.notAfter,
      schedule: d.schedule ? normaliseSchedule(d.schedule) : undefined,
      reasons: d.reasons,
    });
  }
  const granted = new Set(targets.map((t) => t.profile));
  for (const prev of input.previous) {
    if (granted.has(prev.profile)) continue;
    targets.push({
      profile: prev.profile,
      action: "revoke",
      vendorRefs: prev.vendorRefs,
      reasons: prev.reasons,
    });
  }
  return targets
    .map((t) => nextEntry(t, previous.get(t.profile), input))
    .sort((a, b) => (a.profile < b.profile ? -1 : 1));
}

function sameTarget(t: Target, prev: LedgerEntry): boolean {
  return (
    prev.action === t.action &&
    prev.vendorRefs.join("\u0000") === t.vendorRefs.join("\u0000") &&
    prev.notBefore === t.notBefore &&
    prev.notAfter === t.notAfter &&
    scheduleKey(prev.schedule) === scheduleKey(t.schedule)
  );
}

function nextEntry(t: Target, prev: LedgerEntry | undefined, input: LedgerStepInput): LedgerEntry {
  const nowIso = input.now.toISOString();
  const same = prev !== undefined && sameTarget(t, prev);
  const settled = same && prev.state === "effective";
  let state: GrantState;
  if (t.action === "grant" && isFuture(t, input.now) && !input.enforcesValidity) state = "scheduled";
  else if (settled && input.outcome.phase !== "unchanged") state = "effective";
  else if (input.outcome.phase === "planned") state = "requested";
  else if (input.outcome.phase === "applied") state = stateOfEffect(input.outcome.effect);
  else state = observedState(input.observation, t.vendorRefs, t.action);
  const entry: LedgerEntry = {
    ...t,
    state,
    requestedAt: same ? prev.requestedAt : nowIso,
    updatedAt: same && prev.state === state ? prev.updatedAt : nowIso,
  };
  if (entry.notBefore === undefined) delete entry.notBefore;
  if (entry.notAfter === undefined) delete entry.notAfter;
  if (entry.schedule === undefined) delete entry.schedule;
  const exposure = input.outcome.phase === "applied" && !settled ? input.outcome.exposureUntil : undefined;
  const keptExposure = exposure ?? (same ? prev.exposureUntil : undefined);
  // Exposure is the window until a revocation is effective: once it is, effectiveAt says when it ended.
  if (keptExposure !== undefined && t.action === "revoke" && state !== "effective")
    entry.exposureUntil = keptExposure;
  if (state === "effective") entry.effectiveAt = same && prev.effectiveAt ? prev.effectiveAt : nowIso;
  if (same && prev.lastError && state === "requested") entry.lastError = prev.lastError;
  return entry;
}

/**
 * Reads a profile's state back from what the key system reports: a grant is effective once a live
 * credential has been programmed with all its references; a revocation once no credential holds any
 * of them and no blocklist is still spreading.
 */
export function observedState(
  observation: Observation,
  refs: string[],
  action: "grant" | "revoke",
): GrantState {
  const live = observation.credentials.filter((c) => !DEAD_CREDENTIAL_STATUSES.has(c.status));
  const holdsAll = (list: Array<{ vendorRef: string }>) =>
    refs.every((r) => list.some((g) => g.vendorRef === r));
  const holdsAny = (list: Array<{ vendorRef: string }>) =>
    refs.some((r) => list.some((g) => g.vendorRef === r));
  if (action === "grant") {
    if (live.some((c) => holdsAll(c.programmedGrants))) return "effective";
    const planned = live.find((c) => holdsAll(c.plannedGrants));
    return planned
      ? stateOfEffect(planned.effect === "effective" ? "pending_programming" : planned.effect)
      : "requested";
  }
  if (live.some((c) => holdsAny(c.plannedGrants))) return "requested";
  if (live.some((c) => holdsAny(c.programmedGrants))) return "pending_programming";
  const spreading = observation.credentials.find(
    (c) => c.effect === "pending_propagation" || c.effect === "pending_programming",
  );
  if (spreading && DEAD_CREDENTIAL_STATUSES.has(spreading.status)) return stateOfEffect(spreading.effect);
  return "effective";
}

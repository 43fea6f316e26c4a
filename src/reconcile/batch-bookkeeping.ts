// Decides, for one person of a resync batch, whether the observed key system already matches what the
// mappings want so that only holder bookkeeping is left to write — and computes that bookkeeping. Pure.
//
// Why this is exactly what reconcilePerson would do. For a person whose plan is empty reconcilePerson
// makes no driver write, and then: (a) audits a desired change when the granted profiles differ from
// the desired ones, (b) rewrites the entries from the observation (outcome "unchanged") and audits every
// state that moved, (c) settles open work items, (d) sets, moves or cancels timers, (e) writes the ledger
// with the new generation, reconciledAt and converged fingerprint, (f) clears a needs-attention flag when
// the holder carried an error. The batch takes a person only when (a), (b), (c), (d) and (f) would do
// nothing — no audit record, no queue call, no flag — so (e) is all that is left, and it touches only
// the `_holder` field. Anyone else (a plan, a pending or failed entry, an open work item, a timer to
// change, an error to clear, observe mode) goes to the per-person path, which owns all of that.
import type { DesiredGrant } from "../access/desired-grant";
import type { Plan } from "../access/plan-changes";
import type { Observation } from "../drivers/key-system-driver";
import { convergedAfterRun } from "./converged-shortcut";
import type { HolderRecord, LedgerEntry, PersonLedger } from "./ledger-entry";
import { nextLedgerEntries } from "./next-ledger-entries";
import type { TimerKind } from "./reconcile-job";
import { timerTargets } from "./schedule-timers";

export interface BatchPersonState {
  ledger: PersonLedger;
  /** Desired grants of this key system (empty for an inactive person). */
  desired: DesiredGrant[];
  observation: Observation;
  plan: Plan;
  /** converged-shortcut fingerprint; undefined for an inactive person or a lost key. */
  fingerprint: string | undefined;
  resyncEpoch: number;
  generation: number;
  now: Date;
  enforcesValidity: boolean;
  confirmAfterMs: number;
  workItemRecheckMs?: number;
}

/** The holder record to write when only bookkeeping is left; null when the person needs the full run. */
export function batchBookkeeping(s: BatchPersonState): HolderRecord | null {
  const held = s.ledger.holder;
  if (s.plan.actions.length > 0 || s.plan.attention) return null;
  // (f) an error to clear, (c) work items to settle.
  if (held.lastError || (held.workItems?.length ?? 0) > 0) return null;
  // (a) the desired-change audit record.
  if (!sameProfiles(s.ledger.entries, s.desired)) return null;
  // (b) entries as the run would rewrite them: any difference is a state change to audit. A pending
  // entry keeps a confirm timer moving and a failed one wants the per-person retry: both go there too.
  const entries = nextLedgerEntries({
    previous: s.ledger.entries,
    desired: s.desired,
    observation: s.observation,
    outcome: { phase: "unchanged" },
    enforcesValidity: s.enforcesValidity,
    now: s.now,
  });
  if (!entries.every((e) => e.state === "effective" || e.state === "scheduled")) return null;
  if (canonicalJson(entries) !== canonicalJson(s.ledger.entries)) return null;
  const holder: HolderRecord = { ...held, generation: s.generation, reconciledAt: s.now.toISOString() };
  // (d) every timer already due where the run would put it.
  const targets = timerTargets(s.desired, { holder, entries }, s.now, s.confirmAfterMs, s.workItemRecheckMs);
  for (const kind of Object.keys(targets) as TimerKind[]) {
    if (targets[kind]?.toISOString() !== held.timers?.[kind]) return null;
  }
  // (e) the converged fingerprint exactly as reconcilePerson keeps it after an observed run.
  const converged = convergedAfterRun({ holder, entries }, s.fingerprint, s.resyncEpoch);
  if (converged) {
    holder.convergedHash = converged;
    holder.convergedEpoch = s.resyncEpoch;
  } else {
    delete holder.convergedHash;
    delete holder.convergedEpoch;
  }
  return holder;
}

/** auditDesiredChange's comparison: the profiles granted in the ledger are the profiles desired. */
function sameProfiles(entries: LedgerEntry[], desired: Array<{ profile: string }>): boolean {
  const held = new Set(entries.filter((e) => e.action === "grant").map((e) => e.profile));
  const wanted = new Set(desired.map((d) => d.profile));
  return held.size === wanted.size && [...held].every((p) => wanted.has(p));
}

/** JSON with object keys sorted: entries read back from Redis need not keep the writer's key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

// The cheap no-op path (issue #13 item 2): a change-triggered reconcile may skip the driver's observe
// when the ledger proves nothing the plan depends on changed since a run that observed the key system
// and left every entry effective. Pure: the fingerprint and the decision.
//
// Why it is safe. planChanges reads (a) the person's directory data through desired grants, holder
// spec and credential policy, (b) the ledger's holder memory, and (c) the observation. The fingerprint
// covers all of (a) as the plan sees them (`wanted` is computed with the run's clock, so an expiry or a
// validity start changes it), and the conditions below pin (b) to what it was when that observed run
// converged. Only (c) can differ: drift made in the vendor's own console. Catching drift is the job of
// the full resync (trigger "resync", which always observes), the sweep and the vendor's events, as it
// was before for persons without SCIM changes. A resync's add is dropped by BullMQ when the person's
// change-triggered job is still waiting (or replaced by a later add while one runs), so the trigger
// alone does not prove the resync observes: the ledger also keeps the resync epoch of its observed
// run, and a full resync started since then (a new epoch) makes the next run observe whatever its trigger. Anything that takes access away never takes the path:
// an inactive or deleted person, a lost key, or a run whose wanted grants differ (fingerprint moves).
import { createHash } from "node:crypto";
import type { CredentialRequest } from "../access/credential-request";
import type { GrantSpec } from "../drivers/key-system-driver";
import type { PersonLedger } from "./ledger-entry";
import type { ReconcileTrigger } from "./reconcile-job";

/** Triggers that report a directory change; every other one (resync, sweep, timers, operator…) observes. */
const SHORTCUT_TRIGGERS: ReadonlySet<ReconcileTrigger> = new Set([
  "updated",
  "membership",
  "generation_moved",
]);

export function mayShortcut(trigger: ReconcileTrigger): boolean {
  return SHORTCUT_TRIGGERS.has(trigger);
}

export interface ConvergedInputs {
  wanted: GrantSpec[];
  holderSpecHash: string;
  credentialPolicy: CredentialRequest | null;
}

/** A stable hash of everything besides the observation that planChanges reads for an active person. */
export function convergedFingerprint(inputs: ConvergedInputs): string {
  return createHash("sha256").update(JSON.stringify(inputs)).digest("hex").slice(0, 32);
}

/**
 * Whether the ledger proves the plan would be empty: the last observed run converged on this very
 * fingerprint, and nothing is pending, failing, scheduled, deactivated or waiting for an operator.
 */
export function ledgerProvesConverged(
  ledger: PersonLedger,
  fingerprint: string,
  resyncEpoch: number,
): boolean {
  const h = ledger.holder;
  if (h.convergedHash !== fingerprint || h.convergedEpoch !== resyncEpoch) return false;
  if (h.lastError || h.deactivatedAt || h.removedAt || (h.workItems?.length ?? 0) > 0) return false;
  return ledger.entries.every((e) => e.state === "effective" && e.lastError === undefined);
}

/** After an observed run: the fingerprint to keep, or undefined when the run left anything unsettled. */
export function convergedAfterRun(
  next: PersonLedger,
  fingerprint: string | undefined,
  resyncEpoch: number,
): string | undefined {
  if (fingerprint === undefined) return undefined;
  const probe: PersonLedger = {
    holder: { ...next.holder, convergedHash: fingerprint, convergedEpoch: resyncEpoch },
    entries: next.entries,
  };
  return ledgerProvesConverged(probe, fingerprint, resyncEpoch) ? fingerprint : undefined;
}

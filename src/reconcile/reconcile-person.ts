// Reconciles one person in one key system: the level-triggered steps of ARCHITECTURE §2, top to bottom.
import { credentialRequest } from "../access/credential-request";
import { holderExternalId, toHolderSpec } from "../access/holder-spec";
import { type Plan, planChanges } from "../access/plan-changes";
import { toGrantSpecs } from "../access/grant-specs";
import { holderSpecHash } from "../access/holder-spec-hash";
import type { DesiredGrant } from "../access/desired-grant";
import type { HolderSpec, KeySystemDriver, Observation } from "../drivers/key-system-driver";
import type { PersonSnapshot } from "../store/directory-types";
import { type AppliedPlan, applyPlan } from "./apply-plan";
import { CredentialUnavailableError } from "./credential-unavailable-error";
import { classifyPriority } from "./classify-priority";
import {
  convergedAfterRun,
  convergedFingerprint,
  ledgerProvesConverged,
  mayShortcut,
} from "./converged-shortcut";
import { type PersonLedger, weakestEffect } from "./ledger-entry";
import { nextLedgerEntries, type RunOutcome } from "./next-ledger-entries";
import { auditIdentity } from "../audit/audit-identity";
import {
  type AuditScope,
  auditDesiredChange,
  auditPerson,
  auditStateChanges,
  RECONCILE_AUDIT,
} from "./reconcile-audit";
import type { ReconcileDeps } from "./reconcile-deps";
import type { ReconcileJobData } from "./reconcile-job";
import { scheduleTimers } from "./schedule-timers";
import { isUserActive } from "../store/user-active";
import { settleWorkItems } from "./settle-work-items";

export interface ReconcileResult {
  /** Driver writes planned (observe mode: planned but not made). */
  actions: string[];
  mode: "observe" | "enforce";
  /** The person changed while the job ran and was enqueued again. */
  requeued: boolean;
}

/** Filled in as the run proceeds, so a failure handler knows which generation the run was about. */
export interface RunProgress {
  generation?: number;
  /** Whether this run takes access away (a failure then flags the person at once). */
  removesAccess?: boolean;
}

export async function reconcilePerson(
  job: ReconcileJobData,
  system: string,
  deps: ReconcileDeps,
  progress: RunProgress = {},
): Promise<ReconcileResult> {
  const driver = requireDriver(deps, system);
  const settings = deps.settings(system);
  const now = deps.clock.now();
  const scope: AuditScope = {
    audit: deps.audit,
    tenant: job.tenant,
    system,
    personId: job.personId,
    correlationId: job.correlationId,
  };
  // 1-3. Re-read the person (and the generation this run reconciles), read what we recorded, and
  // observe what the key system holds (observe never writes). Independent reads: made together, except
  // that a change-triggered run first looks whether the ledger proves the observe unnecessary.
  const externalId = holderExternalId(job.tenant, system, job.personId);
  const shortcutAllowed = settings.mode === "enforce" && mayShortcut(job.trigger);
  // The resync epoch is read with the ledger: a full resync that starts after this point bumps it, so the
  // next run observes again whatever this one records.
  const [person, ledger, observed, resyncEpoch] = await Promise.all([
    deps.directory.getPerson(job.tenant, job.personId),
    deps.ledger.read(job.tenant, system, job.personId),
    shortcutAllowed ? null : driver.observe(externalId),
    deps.ledger.resyncEpoch(system),
  ]);
  if (person) scope.identity = auditIdentity(person.user);
  const generation = person?.generation ?? (await deps.directory.getGeneration(job.tenant, job.personId));
  progress.generation = generation;
  const active = person !== null && isUserActive(person.user);
  // 2. Evaluate the mappings (a deactivated or deleted person desires nothing).
  const desired = active ? deps.access.evaluate(person, now).filter((g) => g.system === system) : [];
  const fingerprint = active
    ? planFingerprint(deps, system, driver, person, externalId, desired, now)
    : undefined;
  // 3'. The cheap no-op path (converged-shortcut.ts argues its safety): nothing the plan reads changed
  // since a run that observed and converged, so the plan is empty; only the bookkeeping is done.
  if (
    shortcutAllowed &&
    fingerprint !== undefined &&
    ledgerProvesConverged(ledger, fingerprint, resyncEpoch)
  ) {
    const holder = { ...ledger.holder, generation, reconciledAt: now.toISOString() };
    await deps.ledger.write(job.tenant, system, job.personId, { holder, entries: ledger.entries });
    return { actions: [], mode: "enforce", requeued: await finish(job, system, generation, deps) };
  }
  const observation = observed ?? (await driver.observe(externalId));
  if (!active) progress.removesAccess = observedGrants(observation, ledger);
  // 4. Plan (pure).
  const plan = makePlan(deps, system, driver, person, externalId, desired, observation, ledger, now);
  progress.removesAccess = plan.removesAccess;
  await auditDesiredChange(scope, ledger.entries, desired);
  if (settings.mode === "observe") {
    // 5'. Observe mode: the plan is audited, nothing is written to the key system or the ledger.
    await auditPerson(scope, RECONCILE_AUDIT.planObserved, "noop", {
      actions: plan.actions.map((a) => a.kind),
      wanted: plan.wanted,
    });
    return {
      actions: plan.actions.map((a) => a.kind),
      mode: "observe",
      requeued: await finish(job, system, generation, deps),
    };
  }
  // 5. Apply with idempotent driver calls, the ledger showing "requested" while they run.
  const applied = await apply(job, system, driver, plan, desired, observation, ledger, scope, deps);
  // 5a. A person who needs a credential that cannot be issued (no phone number, no serial): the
  // failure handler flags needs-attention with the reason; their next SCIM change reconciles them again.
  if (plan.attention) throw new CredentialUnavailableError(plan.attention.message);
  // 6. Write the ledger: effects of this run, or pending effects confirmed from the observation.
  const effect = applied ? (weakestEffect(applied.effects) ?? "effective") : undefined;
  const outcome: RunOutcome =
    applied && effect
      ? {
          phase: "applied",
          effect,
          // An exposure reported by an earlier step ends once the run's result is effective.
          exposureUntil: effect === "effective" ? undefined : applied.exposureUntil,
        }
      : { phase: "unchanged" };
  const next: PersonLedger = {
    holder: { ...(applied?.holder ?? ledger.holder), generation, reconciledAt: now.toISOString() },
    entries: nextLedgerEntries({
      previous: ledger.entries,
      desired,
      observation,
      outcome,
      enforcesValidity: driver.describe().validityWindows,
      now,
    }),
  };
  delete next.holder.lastError;
  // 7. Manual work: close the items whose condition is met (handing out: grant effective; hand-in: key
  // returned), open one per new task. Before the timers: an open item keeps a recheck timer.
  const workItems = await settleWorkItems(deps, scope, {
    openIds: ledger.holder.workItems,
    applied,
    observation,
    entries: next.entries,
    now,
  });
  if (workItems.length > 0) next.holder.workItems = workItems;
  else delete next.holder.workItems;
  // This run observed: if it leaves everything effective, later change-triggered runs may skip observe.
  const converged = plan.attention ? undefined : convergedAfterRun(next, fingerprint, resyncEpoch);
  if (converged) {
    next.holder.convergedHash = converged;
    next.holder.convergedEpoch = resyncEpoch;
  } else {
    delete next.holder.convergedHash;
    delete next.holder.convergedEpoch;
  }
  // 8. Timers: delayed revocation at the next validity end, delayed grant at the next start, confirm.
  await scheduleTimers(deps, system, job, desired, next, now, scope);
  await deps.ledger.write(job.tenant, system, job.personId, next);
  // 8a. The next look owed, where the dirty sweeper finds it should its timer never run (dirty-set.ts).
  const timerDue = earliestTimer(next);
  if (timerDue || earliestTimer(ledger))
    await deps.dirty.expectTimer(job.tenant, system, job.personId, timerDue);
  // 9. Audit the effect-state changes, clear a resolved needs-attention flag.
  await auditStateChanges(scope, ledger.entries, next.entries);
  if (ledger.holder.lastError) await deps.ledger.clearAttention(job.tenant, system, job.personId);
  // 10. Generation check: a change that landed meanwhile gets a new run; else the person is clean here.
  return {
    actions: plan.actions.map((a) => a.kind),
    mode: "enforce",
    requeued: await finish(job, system, generation, deps),
  };
}

/** The earliest due time among a ledger's timers (ISO), or null. */
function earliestTimer(ledger: PersonLedger): string | null {
  const times = Object.values(ledger.holder.timers ?? {}).filter((t): t is string => t !== undefined);
  return times.length === 0 ? null : times.reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
}

export function requireDriver(deps: ReconcileDeps, system: string): KeySystemDriver {
  const driver = deps.drivers.get(system);
  if (!driver) throw new Error(`no driver for key system ${system}`);
  return driver;
}

/**
 * Only a stored `true` grants access: anything else an older edge may have let in ("False", null)
 * fails safe towards revocation.
 */
/** Anything a leaver could still open a door with: grants the vendor shows or the ledger granted. */
function observedGrants(observation: Observation, ledger: PersonLedger): boolean {
  return (
    observation.credentials.some((c) => c.plannedGrants.length > 0) ||
    ledger.entries.some((e) => e.action === "grant")
  );
}

export function makePlan(
  deps: ReconcileDeps,
  system: string,
  driver: KeySystemDriver,
  person: PersonSnapshot | null,
  externalId: string,
  desired: DesiredGrant[],
  observation: Observation,
  ledger: PersonLedger,
  now: Date,
): Plan {
  // Offboarding builds no HolderSpec: taking access away never depends on person data.
  const active = person !== null && isUserActive(person.user);
  const holder = active ? toHolderSpec(person.user, externalId) : null;
  return planChanges({
    person: person === null ? null : holder ? { active: true, holder } : { active: false },
    desired,
    observation,
    holderMemory: { specHash: ledger.holder.specHash, deactivatedAt: ledger.holder.deactivatedAt },
    enforcesValidity: driver.describe().validityWindows,
    keyWideSchedule: driver.describe().scheduleScope === "credential",
    credentialPolicy: active && holder ? credentialPolicyOf(deps, system, driver, person, holder) : null,
    blockCredentials: isLostKeyIn(person?.lostKeyIn, system),
    now,
  });
}

function credentialPolicyOf(
  deps: ReconcileDeps,
  system: string,
  driver: KeySystemDriver,
  person: PersonSnapshot,
  holder: HolderSpec,
) {
  const setting = deps.settings(system).credentialPolicy;
  return credentialRequest(person.user, setting, driver.describe().credentialNeeds ?? {}, holder.email);
}

/**
 * The converged-shortcut fingerprint of an active person: the plan's inputs besides the observation,
 * computed exactly as makePlan/planChanges compute them. A lost key has none (never shortcut).
 */
export function planFingerprint(
  deps: ReconcileDeps,
  system: string,
  driver: KeySystemDriver,
  person: PersonSnapshot,
  externalId: string,
  desired: DesiredGrant[],
  now: Date,
): string | undefined {
  if (isLostKeyIn(person.lostKeyIn, system)) return undefined;
  const holder = toHolderSpec(person.user, externalId);
  const caps = driver.describe();
  return convergedFingerprint({
    wanted: toGrantSpecs(desired, now, caps.validityWindows, caps.scheduleScope === "credential"),
    holderSpecHash: holderSpecHash(holder),
    credentialPolicy: credentialPolicyOf(deps, system, driver, person, holder),
  });
}

/** An operator reported the key lost for this system (or all): reconcile/suspending-directory.ts. */
function isLostKeyIn(systems: string[] | undefined, system: string): boolean {
  return systems !== undefined && (systems.includes("*") || systems.includes(system));
}

async function apply(
  job: ReconcileJobData,
  system: string,
  driver: KeySystemDriver,
  plan: Plan,
  desired: DesiredGrant[],
  observation: Observation,
  ledger: PersonLedger,
  scope: AuditScope,
  deps: ReconcileDeps,
): Promise<AppliedPlan | null> {
  if (plan.actions.length === 0) return null;
  const now = deps.clock.now();
  await auditPerson(scope, RECONCILE_AUDIT.planComputed, "pending", {
    actions: plan.actions.map((a) => a.kind),
    wanted: plan.wanted,
    removesAccess: plan.removesAccess,
  });
  const requested = nextLedgerEntries({
    previous: ledger.entries,
    desired,
    observation,
    outcome: { phase: "planned" },
    enforcesValidity: driver.describe().validityWindows,
    now,
  });
  await Promise.all([
    deps.ledger.write(job.tenant, system, job.personId, { holder: ledger.holder, entries: requested }),
    auditStateChanges(scope, ledger.entries, requested),
  ]);
  ledger.entries = requested;
  const ctx = { operationId: `${job.correlationId}|${deps.newId()}` };
  return applyPlan(
    driver,
    plan.actions,
    { holder: observation.holder, record: ledger.holder, now: now.toISOString() },
    ctx,
    scope,
  );
}

/** Compares the generation: moved on → enqueue again (at the priority it now needs); else mark clean. */
async function finish(
  job: ReconcileJobData,
  system: string,
  generation: number,
  deps: ReconcileDeps,
): Promise<boolean> {
  const mark = await deps.dirty.markReconciled(job.tenant, system, job.personId, generation);
  if (mark !== "generation_moved") return false;
  const priorities = await classifyPriority(deps, job.tenant, job.personId, [system]);
  await deps.queues.enqueue(system, { ...job, trigger: "generation_moved" }, priorities.get(system) ?? 1);
  return true;
}

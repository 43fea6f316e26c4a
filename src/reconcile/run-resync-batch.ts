// Runs one full-resync batch (issue #13 item 2): observes every person of the batch, and for those
// the key system already shows converged writes only the holder bookkeeping, all in a few pipelined
// Redis round trips; everyone else is handed to their own coalesced reconcile (reconcile-person.ts),
// so grants, revocations, audit, retries and failure handling keep living in one place.
//
// Why it is as safe as one job per person. (1) A full resync always observes: every person here is
// observed, and a person handed over gets trigger "resync", which observes too (converged-shortcut.ts).
// (2) BullMQ deduplication no longer keeps this batch and a person's own reconcile apart, so the
// bookkeeping write is a compare-and-set on the whole ledger hash as read before the observe
// (GrantLedger.writeHolderIfUnchanged): a per-person run that wrote meanwhile wins, and the person is
// handed over so a run after the resync's start still observes them. A per-person run that writes after
// the batch overwrites the whole ledger from its own reads, as two per-person runs in a row would.
// (3) The generation read with the person is checked like reconcilePerson's finish(): a change that
// landed meanwhile gets its own run at the priority it needs. (4) Revocations and change-triggered
// jobs keep priority over batches (batches run at resync priority); a batch that finds a leaver still
// holding access hands them over at revocation priority.
import { holderExternalId } from "../access/holder-spec";
import { driverErrorKind } from "../drivers/driver-error";
import { isUserActive } from "../store/user-active";
import type { PersonSnapshot } from "../store/directory-types";
import { batchBookkeeping } from "./batch-bookkeeping";
import { classifyPriorityOrRevoke } from "./classify-priority";
import type { PersonLedger, HolderRecord } from "./ledger-entry";
import type { RawLedger } from "./grant-ledger";
import type { ReconcileDeps } from "./reconcile-deps";
import { PRIORITY, type ReconcileJobData } from "./reconcile-job";
import { makePlan, planFingerprint, requireDriver } from "./reconcile-person";
import { DEFAULT_RESYNC_BATCH, type ResyncBatchJobData } from "./resync-batch-job";
import { DEFAULT_CONFIRM_AFTER_MS } from "./schedule-timers";

export interface ResyncBatchResult {
  persons: number;
  /** Bookkeeping written here: observed, nothing to change. */
  converged: number;
  /** Given a reconcile of their own: a plan, an error, or a ledger that changed meanwhile. */
  handedOver: number;
  /** Converged here, but their generation moved on while the batch ran: enqueued again. */
  requeued: number;
}

interface Converged {
  kind: "converged";
  personId: string;
  raw: RawLedger;
  holder: HolderRecord;
  generation: number;
}
interface HandOver {
  kind: "hand_over";
  personId: string;
  priority: number;
}
type Decision = Converged | HandOver;

export const RESYNC_BATCH_LOG = { done: "resync batch done" } as const;

export async function runResyncBatch(
  system: string,
  job: ResyncBatchJobData,
  deps: ReconcileDeps,
): Promise<ResyncBatchResult> {
  const settings = deps.resyncBatch ? deps.resyncBatch(system) : DEFAULT_RESYNC_BATCH;
  // Settings changed since the batch was enqueued (observe mode, a rate limit): one run each, as before.
  if (deps.settings(system).mode === "observe" || settings === null) {
    const all = job.personIds.map((personId) => handOver(personId, PRIORITY.resync));
    await enqueueHandOvers(system, job, all, deps);
    return { persons: job.personIds.length, converged: 0, handedOver: all.length, requeued: 0 };
  }
  // 1. Read every person, ledger and the resync epoch at once: the persons in one MULTI (getPersons), and
  // the connection auto-pipelines the rest, issued together: one round trip, not a few per person.
  const [persons, ledgers, resyncEpoch] = await Promise.all([
    readPersons(deps, job.tenant, job.personIds),
    Promise.all(job.personIds.map((id) => deps.ledger.readWithRaw(job.tenant, system, id))),
    deps.ledger.resyncEpoch(system),
  ]);
  // 2. Observe (bounded: the driver contract has one observe per call), evaluate and plan each person.
  const stop = { vendorSaidStop: false };
  const decisions = await mapBounded(job.personIds, settings.observeParallelism, (personId, i) =>
    decide(system, job.tenant, personId, persons[i] ?? null, ledgers[i], resyncEpoch, stop, deps),
  );
  // 3. The converged persons' bookkeeping, each written only if their ledger is still as read, and 4. the
  // generation check of those written, as reconcilePerson's finish() does: one script for the batch.
  const converged = decisions.filter((d): d is Converged => d.kind === "converged");
  const settled = await deps.dirty.settleConverged(job.tenant, system, converged);
  const handOvers = decisions.filter((d): d is HandOver => d.kind === "hand_over");
  for (const [i, d] of converged.entries())
    if (settled[i] === "ledger_changed") handOvers.push(handOver(d.personId, PRIORITY.resync));
  const done = converged.filter((_, i) => settled[i] !== "ledger_changed");
  const moved = converged.filter((_, i) => settled[i] === "generation_moved").map((d) => d.personId);
  // 5. Everyone else gets their own reconcile.
  await Promise.all([enqueueHandOvers(system, job, handOvers, deps), requeueMoved(system, job, moved, deps)]);
  const result = {
    persons: job.personIds.length,
    converged: done.length,
    handedOver: handOvers.length,
    requeued: moved.length,
  };
  deps.logger.debug({ system, tenant: job.tenant, ...result }, RESYNC_BATCH_LOG.done);
  return result;
}

/** getPersons where the directory has it (one MULTI for the batch), else getPerson for each. */
function readPersons(
  deps: ReconcileDeps,
  tenant: string,
  ids: string[],
): Promise<Array<PersonSnapshot | null>> {
  const { directory } = deps;
  if (directory.getPersons) return directory.getPersons(tenant, ids);
  return Promise.all(ids.map((id) => directory.getPerson(tenant, id)));
}

const handOver = (personId: string, priority: number): HandOver => ({
  kind: "hand_over",
  personId,
  priority,
});

/** One person's observe, evaluation and plan; anything but converged (or any error) is handed over. */
async function decide(
  system: string,
  tenant: string,
  personId: string,
  person: PersonSnapshot | null,
  read: { ledger: PersonLedger; raw: RawLedger } | undefined,
  resyncEpoch: number,
  stop: { vendorSaidStop: boolean },
  deps: ReconcileDeps,
): Promise<Decision> {
  // A deleted person's run takes everything away: theirs, at once (the scan rarely meets one).
  if (person === null || read === undefined) return handOver(personId, PRIORITY.revocation);
  // After a rate limit or a systemic error the rest of the batch makes no vendor call: their own runs
  // observe later, under the per-person failure handling that pauses the queue.
  if (stop.vendorSaidStop) return handOver(personId, PRIORITY.resync);
  try {
    const driver = requireDriver(deps, system);
    const now = deps.clock.now();
    const externalId = holderExternalId(tenant, system, personId);
    const observation = await driver.observe(externalId);
    const active = isUserActive(person.user);
    const desired = active ? deps.access.evaluate(person, now).filter((g) => g.system === system) : [];
    const fingerprint = active
      ? planFingerprint(deps, system, driver, person, externalId, desired, now)
      : undefined;
    const plan = makePlan(deps, system, driver, person, externalId, desired, observation, read.ledger, now);
    const holder = batchBookkeeping({
      ledger: read.ledger,
      desired,
      observation,
      plan,
      fingerprint,
      resyncEpoch,
      generation: person.generation,
      now,
      enforcesValidity: driver.describe().validityWindows,
      confirmAfterMs: deps.confirmAfterMs ?? DEFAULT_CONFIRM_AFTER_MS,
      workItemRecheckMs: deps.workItemRecheckMs,
    });
    if (holder) return { kind: "converged", personId, raw: read.raw, holder, generation: person.generation };
    // A leaver the key system still lets in must not wait behind the resync (ARCHITECTURE §2).
    return handOver(personId, plan.removesAccess ? PRIORITY.revocation : PRIORITY.resync);
  } catch (err) {
    const kind = driverErrorKind(err);
    if (kind === "rate_limited" || kind === "systemic") stop.vendorSaidStop = true;
    return handOver(personId, PRIORITY.resync);
  }
}

/**
 * Per-person reconciles with trigger "resync" (so they observe), coalesced with any job the person
 * already has. Revocations one by one: enqueue raises a waiting job of theirs to priority 1.
 */
async function enqueueHandOvers(
  system: string,
  job: ResyncBatchJobData,
  decisions: HandOver[],
  deps: ReconcileDeps,
): Promise<void> {
  const data = (personId: string): ReconcileJobData => ({
    tenant: job.tenant,
    personId,
    trigger: "resync",
    correlationId: job.correlationId,
  });
  const urgent = decisions.filter((d) => d.priority === PRIORITY.revocation);
  const rest = decisions.filter((d) => !urgent.includes(d));
  await Promise.all(urgent.map((d) => deps.queues.enqueue(system, data(d.personId), PRIORITY.revocation)));
  if (rest.length > 0)
    await deps.queues.enqueueBulk(
      system,
      rest.map((d) => data(d.personId)),
      PRIORITY.resync,
    );
}

/** A change landed while the batch ran: a run of its own, at the priority that change needs. */
async function requeueMoved(
  system: string,
  job: ResyncBatchJobData,
  personIds: string[],
  deps: ReconcileDeps,
): Promise<void> {
  await Promise.all(
    personIds.map(async (personId) => {
      const priorities = await classifyPriorityOrRevoke(deps, job.tenant, personId, [system]);
      await deps.queues.enqueue(
        system,
        { tenant: job.tenant, personId, trigger: "generation_moved", correlationId: job.correlationId },
        priorities.get(system) ?? PRIORITY.revocation,
      );
    }),
  );
}

/** Maps with at most `limit` calls in flight, results in input order. */
async function mapBounded<T, R>(
  items: T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

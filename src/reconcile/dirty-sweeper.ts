// Re-enqueues persons who have stayed in a tenant's dirty set for too long, so a lost enqueue or a
// crash between the SCIM commit and the queue never loses a change (directory-change.ts); and persons
// whose timer is overdue, so a lost timer job never leaves a grant or revocation pending for good nor
// a validity end unenforced: the person is looked at again within staleAfterMs + everyMs of the due
// time, or, when flagged needs-attention, left visibly stuck with that flag's reason — except a look
// that takes access away after a transient failure, which is retried like a stale dirty leaver.
import type { Logger } from "../log/logger";
import type { DirtySet } from "./dirty-set";
import { type EnqueueReconcileDeps, enqueueReconcile } from "./enqueue-reconcile";
import type { AttentionFlag } from "./grant-ledger";
import type { PersonLedger } from "./ledger-entry";
import { PRIORITY } from "./reconcile-job";
import { timerPriority } from "./schedule-timers";
import type { ReconcileQueues } from "./reconcile-queues";

export interface DirtySweeperDeps extends EnqueueReconcileDeps {
  dirty: DirtySet;
  queues: ReconcileQueues;
  tenants: () => Promise<string[]>;
  logger: Logger;
  newId: () => string;
  /** A person dirty for longer than this is enqueued again (default 60 s). */
  staleAfterMs?: number;
  /** How often to look (default 30 s). */
  everyMs?: number;
  /** Persons read per page of the dirty set (default 1000). */
  batch?: number;
  /** At most this many persons per tenant per sweep (default 100,000: a big group's members at once). */
  maxPerSweep?: number;
}

export interface DirtySweeper {
  sweepOnce(): Promise<number>;
  close(): Promise<void>;
}

export const SWEEPER_LOG = {
  swept: "re-enqueued stale dirty persons",
  failed: "dirty-set sweep failed",
  unclassified: "could not classify a stale person's priority; enqueued at revocation priority",
  timerOverdue: "a person's timer (confirm, validity start or end) did not run by its due time; re-enqueued",
} as const;

export function startDirtySweeper(deps: DirtySweeperDeps): DirtySweeper {
  let running: Promise<number> | null = null;
  const sweepOnce = async (): Promise<number> => {
    const cutoff = deps.clock.now().getTime() - (deps.staleAfterMs ?? 60_000);
    let count = 0;
    const batch = deps.batch ?? 1000;
    for (const tenant of await deps.tenants()) {
      const correlationId = `sweep|${deps.newId()}`;
      // Persons leave the set only once reconciled, so paging by offset within one sweep sees each once.
      for (let offset = 0; offset < (deps.maxPerSweep ?? 100_000); offset += batch) {
        const stale = await deps.dirty.stale(tenant, cutoff, batch, offset);
        for (const personId of stale) {
          // One person's odd data must not stop the sweep for everyone after them.
          await enqueueReconcile(
            deps,
            { tenant, personId, trigger: "sweep", correlationId },
            {
              onClassifyError: (err) => deps.logger.warn({ err, tenant, personId }, SWEEPER_LOG.unclassified),
            },
          );
          count++;
        }
        if (stale.length < batch) break;
      }
    }
    for (const tenant of await deps.tenants()) count += await sweepOverdueTimers(deps, tenant);
    if (count > 0) deps.logger.info({ count }, SWEEPER_LOG.swept);
    return count;
  };
  const timer = setInterval(() => {
    if (running) return;
    running = sweepOnce()
      .catch((err) => {
        deps.logger.error({ err }, SWEEPER_LOG.failed);
        return 0;
      })
      .finally(() => {
        running = null;
      });
  }, deps.everyMs ?? 30_000);
  timer.unref();
  return {
    sweepOnce,
    async close() {
      clearInterval(timer);
      await running;
    },
  };
}

/**
 * The backstop behind the timer jobs: a person whose earliest timer is overdue by more than staleAfterMs
 * is reconciled in that key system (trigger "sweep" always observes), unless flagged needs-attention —
 * then the flag already says why and an operator's reconcile or the next change picks them up
 * (retryDespiteFlag says when not).
 */
async function sweepOverdueTimers(deps: DirtySweeperDeps, tenant: string): Promise<number> {
  const now = deps.clock.now().getTime();
  const staleAfterMs = deps.staleAfterMs ?? 60_000;
  const overdue = await deps.dirty.overdueTimers(tenant, now - staleAfterMs, now, deps.batch ?? 1000);
  let count = 0;
  for (const { system, personId } of overdue) {
    if (!deps.queues.systems().includes(system)) continue;
    const flag = await deps.ledger.attention(tenant, system, personId);
    if (flag && !retryDespiteFlag(flag, await deps.ledger.read(tenant, system, personId), now)) continue;
    deps.logger.warn({ tenant, system, personId }, SWEEPER_LOG.timerOverdue);
    await enqueueReconcile(
      deps,
      { tenant, personId, trigger: "sweep", correlationId: `sweep|${deps.newId()}` },
      {
        systems: [system],
        onClassifyError: (err) => deps.logger.warn({ err, tenant, personId }, SWEEPER_LOG.unclassified),
      },
    );
    count++;
  }
  return count;
}

/**
 * Whether a flagged person's overdue timer is still worth a reconcile. Pure. Yes when that look takes
 * access away (a validity end that passed, a revocation pending at the locks) and the flag is for a
 * transient failure: a validity end brings no SCIM change and leaves the person clean, so unlike a
 * stale dirty leaver nothing else would retry it once the key system is back, and the leaver would keep
 * access until an operator acts. A permanent or manual failure stays with its flag (no retry storm).
 */
export function retryDespiteFlag(flag: AttentionFlag, ledger: PersonLedger, now: number): boolean {
  if (flag.kind !== "retries_exhausted" && flag.kind !== "revocation_failing") return false;
  const end = ledger.holder.timers?.valid_until;
  if (end !== undefined && Date.parse(end) <= now) return true;
  return timerPriority("confirm", ledger) === PRIORITY.revocation;
}

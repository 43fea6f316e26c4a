// Moves SCIM audit records from each tenant's audit outbox (written atomically with the directory
// change, store/save-script.ts) onto the hash chain: in commit order, exactly once, from any number of
// API and worker processes. A change committed just before a timeout, a 503 or a process death is
// therefore still audited — by the next move (issue #9 item 6).
//
// Exactly once without a cross-slot transaction (the outbox lives in the tenant's Redis Cluster slot,
// the chain in `{kb:audit}`): entries carry a per-tenant sequence number; the chain's append script
// advances the tenant's "moved" mark in the same step as the records, only from the mark the mover
// read; then the mover drops the moved entries from the outbox head. A mover that dies in between
// leaves entries the next mover finds already covered by the mark and only drops.
//
// On a Redis Cluster the outbox and the chain may live on two masters. Replication order protects one
// master (a drop that reached the replica comes after the append that did), but not two: the drop could
// survive while the chain's master fails over without the append. So with `redis.waitReplicas` on a
// cluster, the mover confirms the chain's replicas before it drops (see confirmChain below).
import type { RedisClient } from "../store/create-redis-client";
import type { Logger } from "../log/logger";
import { isRedisCluster } from "../store/create-redis-client";
import { confirmReplicated, type ReplicaAck } from "../store/replica-ack";
import { luaScript, runScript } from "../store/run-script";
import { redisKeys } from "../store/redis-keys";
import { yieldToEventLoop } from "../store/yield-to-event-loop";
import type { AuditEventInput } from "./audit-event";
import type { AuditTrail } from "./audit-trail";

export const OUTBOX_LOG = {
  moveFailed: "moving SCIM audit records from the outbox failed; the next move retries",
  badEntry: "audit outbox entry is not readable; moving stops for this tenant until it is fixed",
} as const;

/** Drops entries up to and including seq ARGV[1] from the outbox head (they are on the chain). */
const DROP_MOVED = luaScript(`
local upTo = tonumber(ARGV[1])
local dropped = 0
while true do
  local head = redis.call('LINDEX', KEYS[1], 0)
  if not head then break end
  local seq = tonumber(string.match(head, '^(%d+)|'))
  if not seq or seq > upTo then break end
  redis.call('LPOP', KEYS[1])
  dropped = dropped + 1
end
return dropped
`);

/** Entries longer than this are parsed a turn of the event loop before they are prepared. */
const BIG_ENTRY_CHARS = 64 * 1024;

/**
 * Characters of outbox entries moved in one chain append (at least one entry). Preparing, hashing and
 * serialising records is one stretch per append: a membership change naming 10,000 persons arrives as
 * records of at most PERSONS_PER_RECORD persons (save-script.ts), and this keeps an append to a few of
 * them, so the stretch stays a few milliseconds (issue #9 item 3).
 */
const MOVE_BUDGET_CHARS = 96 * 1024;

/** The leading entries that fit the move budget; always the first. Pure. */
export function withinMoveBudget(texts: string[]): string[] {
  let chars = 0;
  let end = 0;
  while (end < texts.length && (end === 0 || chars + (texts[end]?.length ?? 0) <= MOVE_BUDGET_CHARS)) {
    chars += texts[end]?.length ?? 0;
    end++;
  }
  return texts.slice(0, end);
}

export interface OutboxEntry {
  seq: number;
  event: AuditEventInput;
}

/** Parses `<seq>|<event JSON>`; Lua's cjson writes an empty persons list as `{}`. */
export function parseOutboxEntry(text: string): OutboxEntry | undefined {
  const bar = text.indexOf("|");
  const seq = Number(text.slice(0, bar));
  if (bar < 1 || !Number.isSafeInteger(seq)) return undefined;
  try {
    const event = JSON.parse(text.slice(bar + 1)) as AuditEventInput;
    const data = event.data as { persons?: unknown } | undefined;
    if (data && !Array.isArray(data.persons)) data.persons = [];
    return { seq, event };
  } catch {
    return undefined;
  }
}

export interface AuditOutboxOptions {
  redis: RedisClient;
  audit: AuditTrail;
  logger: Logger;
  /** Entries moved per chain append. */
  batch?: number;
  /** redis.waitReplicas and waitTimeoutMs: on a Redis Cluster, the chain's replicas confirm before a drop. */
  replicaAck?: ReplicaAck;
}

export class AuditOutbox {
  private readonly batch: number;
  /** Per tenant, the move running or queued last in this process (moves of a tenant never overlap). */
  private readonly last = new Map<string, Promise<number>>();
  /** Per tenant, a move queued behind the running one and not started yet: later callers share it. */
  private readonly queued = new Map<string, Promise<number>>();

  constructor(private readonly options: AuditOutboxOptions) {
    this.batch = options.batch ?? 100;
  }

  /**
   * Moves everything in the tenant's outbox onto the chain; resolves with how many this move put
   * there. A caller arriving during a move waits for one fresh move, shared with every other caller
   * that arrives before it starts (it reads the outbox after all their commits), so a burst of
   * requests costs two moves, not one each.
   */
  move(tenant: string): Promise<number> {
    const waiting = this.queued.get(tenant);
    if (waiting) return waiting;
    const previous = this.last.get(tenant) ?? Promise.resolve(0);
    const next = previous
      .catch(() => 0)
      .then(() => {
        this.queued.delete(tenant);
        return this.moveAll(tenant);
      });
    this.queued.set(tenant, next);
    this.last.set(tenant, next);
    next
      .finally(() => {
        if (this.last.get(tenant) === next) this.last.delete(tenant);
      })
      .catch(() => undefined);
    return next;
  }

  /** Like move, for every tenant; failures are logged, never thrown (a later move retries). */
  async moveTenants(tenants: string[]): Promise<void> {
    for (const tenant of tenants) {
      await this.move(tenant).catch((err) =>
        this.options.logger.warn({ err, tenant }, OUTBOX_LOG.moveFailed),
      );
    }
  }

  /**
   * On a cluster with replicas to wait for: a write to the chain's slot, then WAIT on that slot's master.
   * Replication is ordered, so once the replicas hold this write they hold every append before it —
   * this process's or another mover's (WAIT alone covers only this connection's own writes). Unconfirmed
   * is Unavailable: the move fails before the drop, keeps the entries, and a later move retries.
   */
  private async confirmChain(): Promise<void> {
    const { redis, replicaAck } = this.options;
    if (!replicaAck || replicaAck.replicas === 0 || !isRedisCluster(redis)) return;
    const key = redisKeys.auditChainConfirmed();
    await confirmReplicated(redis, replicaAck, () => redis.incr(key), key);
  }

  private async moveAll(tenant: string): Promise<number> {
    const { redis, audit } = this.options;
    const key = redisKeys.auditOutbox(tenant);
    let moved = 0;
    for (;;) {
      const [read, mark] = await Promise.all([
        redis.lrange(key, 0, this.batch - 1),
        redis.hget(redisKeys.auditOutboxMoved(), tenant),
      ]);
      if (read.length === 0) return moved;
      const texts = withinMoveBudget(read);
      const entries = texts.map(parseOutboxEntry);
      // Parsing a long entry (a membership change naming thousands of persons) and preparing it for
      // the chain are separate stretches (issue #9 item 3: ≤ 50 ms blocks).
      if (texts.some((t) => t.length > BIG_ENTRY_CHARS)) await yieldToEventLoop();
      if (entries.some((e) => e === undefined)) {
        this.options.logger.error({ tenant }, OUTBOX_LOG.badEntry);
        throw new Error(OUTBOX_LOG.badEntry);
      }
      const done = Number(mark ?? 0);
      const fresh = (entries as OutboxEntry[]).filter((e) => e.seq > done);
      const last = fresh.at(-1)?.seq ?? done;
      if (fresh.length > 0) {
        const appended = await audit.appendOutbox(
          fresh.map((e) => e.event),
          { tenant, expect: done, next: last },
        );
        // Another process moved them first: read again (its entries are dropped below next round).
        if (!appended) continue;
        moved += fresh.length;
      }
      await this.confirmChain();
      await runScript(redis, DROP_MOVED, [key], [last]);
      // A short read took all there was when this move started (unless the budget left some of it);
      // later entries get their own move.
      if (read.length < this.batch && texts.length === read.length) return moved;
    }
  }
}

/** Moves every configured tenant's outbox now and then, in the API and the worker processes. */
export function startOutboxMover(
  outbox: AuditOutbox,
  tenants: () => Promise<string[]>,
  everyMs = 1_000,
): { close(): Promise<void> } {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = tenants()
      .then((list) => outbox.moveTenants(list))
      .catch(() => undefined)
      .finally(() => {
        running = null;
      });
  };
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return {
    async close() {
      clearInterval(timer);
      await running;
    },
  };
}

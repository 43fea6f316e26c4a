// The hook receivers' durable queue: a delivery's signals are written to a Redis list before the IdP
// gets its answer (Okta allows 3 s, idp-signals.md §2.4), then applied in order, off the request, by
// one process at a time (a lock per tenant and channel). A crash between apply and removal re-applies
// the head, which the event-id dedupe turns into a `duplicate`; nothing queued is lost. A signal whose
// apply fails MAX_ATTEMPTS times in a row over at least `deadLetterAfterMs` (a defect, not a Redis blip:
// with Redis away, setting it aside fails too) is set aside in a dead list and reported as the channel's error, so it cannot hold up every
// leaver queued behind it (failure-streak.ts).
import { randomUUID } from "node:crypto";
import { redisKeys } from "../store/redis-keys";
import { recordChannelState } from "./channel-state";
import { luaScript, runScript } from "../store/run-script";
import { applySignal, type SignalDeps } from "./apply-signal";
import type { IdpSignal, SignalChannel } from "./idp-signal";
import { signalIsBounded } from "./signal-bounds";
import { DEAD_KEPT, DEAD_LETTER_CODE, deadLetterError, FailureStreak } from "./failure-streak";

export const INBOX_LOG = {
  applyFailed: "applying a queued signal failed; it stays queued and is retried",
  badEntry: "a queued signal is not readable; dropped",
  deadLettered: "a queued signal failed on every attempt; set aside so the signals behind it apply",
} as const;

/** Moves the head to the dead list only if it is still the entry that failed (another process may have applied it). */
const SET_ASIDE = luaScript(`
if redis.call('LINDEX', KEYS[1], 0) ~= ARGV[1] then return 0 end
redis.call('LPOP', KEYS[1])
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[2]), -1)
return 1
`);

const RELEASE = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

const BATCH = 50;

export class SignalInbox {
  private readonly running = new Map<string, Promise<number>>();
  private readonly again = new Set<string>();
  /** Per inbox: the queued entry that last failed and how many times in a row. */
  private readonly streak: FailureStreak;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly deps: SignalDeps,
    private readonly options: {
      lockMs?: number;
      deadLetterAfterMs?: number;
      /** Core.confirmWrite: a delivery is answered 200 only once Redis replicas hold it. */
      confirmWrite?: <T>(write: (client: SignalDeps["redis"]) => Promise<T>, slotKey: string) => Promise<T>;
    } = {},
  ) {
    this.streak = new FailureStreak(options.deadLetterAfterMs);
  }

  /** Durably queues a delivery's signals (one RPUSH), then starts applying them without waiting. */
  async push(tenant: string, channel: SignalChannel, signals: IdpSignal[]): Promise<void> {
    if (signals.length > 0) {
      // The IdP will not send a delivery it got 200 for again (Okta does not retry a 2xx): with
      // replicas configured, it must survive a failover before it is answered.
      const texts = signals.map((s) => JSON.stringify(s));
      const inbox = redisKeys.signalInbox(tenant, channel);
      const write = (client: SignalDeps["redis"]) => client.rpush(inbox, ...texts);
      await (this.options.confirmWrite ? this.options.confirmWrite(write, inbox) : write(this.deps.redis));
    }
    this.kick(tenant, channel);
  }

  kick(tenant: string, channel: SignalChannel): void {
    this.drain(tenant, channel).catch(() => undefined);
  }

  /**
   * Applies everything queued for the tenant and channel. A call during a running drain makes it go
   * round once more (so it covers what the caller just queued) and shares its promise.
   */
  drain(tenant: string, channel: SignalChannel): Promise<number> {
    const id = `${tenant}|${channel}`;
    const current = this.running.get(id);
    if (current) {
      this.again.add(id);
      return current;
    }
    const next = (async () => {
      let applied = 0;
      do {
        this.again.delete(id);
        applied += await this.drainLocked(tenant, channel);
      } while (this.again.has(id));
      return applied;
    })().finally(() => this.running.delete(id));
    this.running.set(id, next);
    return next;
  }

  /** Drains these inboxes now and then: what another process left, or a failed apply. */
  start(inboxes: Array<{ tenant: string; channel: SignalChannel }>, everyMs = 1_000): void {
    if (inboxes.length === 0) return;
    const tick = () => {
      for (const { tenant, channel } of inboxes) this.kick(tenant, channel);
    };
    tick();
    this.timer = setInterval(tick, everyMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await Promise.allSettled([...this.running.values()]);
  }

  private async drainLocked(tenant: string, channel: SignalChannel): Promise<number> {
    const { redis } = this.deps;
    const lock = redisKeys.signalInboxLock(tenant, channel);
    const token = randomUUID();
    if ((await redis.set(lock, token, "PX", this.options.lockMs ?? 30_000, "NX")) !== "OK") return 0;
    try {
      return await this.applyQueued(tenant, channel);
    } finally {
      await runScript(redis, RELEASE, [lock], [token]).catch(() => undefined);
    }
  }

  private async applyQueued(tenant: string, channel: SignalChannel): Promise<number> {
    const key = redisKeys.signalInbox(tenant, channel);
    let applied = 0;
    for (;;) {
      const texts = await this.deps.redis.lrange(key, 0, BATCH - 1);
      if (texts.length === 0) return applied;
      for (const text of texts) {
        const signal = parseQueued(text);
        if (!signal) this.deps.logger.error({ tenant, channel }, INBOX_LOG.badEntry);
        else {
          try {
            await applySignal(this.deps, signal);
          } catch (err) {
            this.deps.logger.warn({ err, tenant, channel }, INBOX_LOG.applyFailed);
            if (!(await this.setAsideIfHopeless(tenant, channel, text, signal.eventId))) return applied;
            break; // set aside: read the queue's head again
          }
        }
        this.streak.clear(`${tenant}|${channel}`);
        await this.deps.redis.lpop(key);
        applied++;
      }
    }
  }

  /** Counts a failed apply of the head; at MAX_ATTEMPTS sets it aside. True when it was set aside. */
  private async setAsideIfHopeless(
    tenant: string,
    channel: SignalChannel,
    text: string,
    eventId: string,
  ): Promise<boolean> {
    const id = `${tenant}|${channel}`;
    if (!this.streak.fail(id, text, this.deps.clock.now().getTime())) return false;
    const keys = [redisKeys.signalInbox(tenant, channel), redisKeys.signalInboxDead(tenant, channel)];
    const moved = await runScript(this.deps.redis, SET_ASIDE, keys, [text, String(DEAD_KEPT)]).catch(
      () => null,
    );
    if (moved === null) return false;
    this.streak.clear(id);
    const code = DEAD_LETTER_CODE;
    this.deps.logger.error({ tenant, channel, eventId, code }, INBOX_LOG.deadLettered);
    await recordChannelState(this.deps.redis, tenant, channel, {
      error: deadLetterError(eventId),
    }).catch(() => undefined);
    return true;
  }
}

function parseQueued(text: string): IdpSignal | null {
  try {
    const s = JSON.parse(text) as IdpSignal;
    // An entry no apply could succeed on would hold up every signal queued behind it.
    return typeof s?.eventId === "string" && typeof s.tenant === "string" && signalIsBounded(s) ? s : null;
  } catch {
    return null;
  }
}

// The Entra channel of one tenant in a worker process: every poll interval, if this process holds the
// tenant's poll lock, fire reached leave dates, run a users and a groups delta round, and re-query upcoming
// leave dates when due. Two worker processes never poll one tenant at once (Redis lock, see state file).
import { randomUUID } from "node:crypto";
import type { RedisClient } from "../../store/create-redis-client";
import type { EntraSignalConfig } from "../../config/entra-signal-schema";
import type { Logger } from "../../log/logger";
import type { IdpSignal, SignalOutcome } from "../idp-signal";
import { absentAfterReset, type FullRoundSeen } from "./absent-after-reset";
import type { DeltaContext } from "./delta-signals";
import { holdPollLock, releasePollLock } from "./entra-delta-state";
import {
  fireDueLeavers,
  leaversQueryDue,
  nextLeaveAt,
  noteLeaveDates,
  refreshLeavers,
} from "./entra-leavers";
import { GraphClient } from "./graph-client";
import { type RoundResult, runDeltaRound } from "./run-delta-round";

/** How long a poll lock lives without renewal: a dead holder's tenant is picked up after this. */
const LOCK_TTL_MS = 90_000;

export interface TickReport {
  tenant: string;
  ok: boolean;
  rounds: RoundResult[];
  error?: { code: string; message: string };
  at: string;
}

export interface EntraPollerDeps {
  tenant: string;
  config: EntraSignalConfig;
  redis: RedisClient;
  token: () => Promise<string>;
  apply: (signal: IdpSignal) => Promise<SignalOutcome>;
  logger: Logger;
  now?: () => Date;
  /**
   * The directory, to find what a reset's full round no longer lists. Only given when the tenant's join
   * key is externalId (= Entra object id): with another key the comparison cannot name the person.
   */
  directory?: Parameters<typeof absentAfterReset>[0];
  /** Per-tick outcome, for channel status (signals core) and tests. */
  report?: (r: TickReport) => Promise<void> | void;
}

export class EntraPoller {
  private readonly owner = randomUUID();
  private readonly graph: GraphClient;
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly now: () => Date;

  constructor(private readonly deps: EntraPollerDeps) {
    this.now = deps.now ?? (() => new Date());
    this.graph = new GraphClient({
      baseUrl: deps.config.graphBaseUrl,
      token: deps.token,
      sleep: (ms) => this.sleep(ms),
    });
  }

  start(): void {
    this.schedule(0);
  }

  async close(): Promise<void> {
    this.abort.abort();
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await releasePollLock(this.deps.redis, this.deps.tenant, this.owner).catch(() => {});
  }

  /** One poll; returns when the next one should start (ms from now). Public for tests and the bench. */
  async tick(): Promise<number> {
    const { tenant, config, redis } = this.deps;
    const interval = config.pollIntervalSeconds * 1000;
    if (!(await holdPollLock(redis, tenant, this.owner, LOCK_TTL_MS))) return interval;
    const report: TickReport = { tenant, ok: true, rounds: [], at: this.now().toISOString() };
    let next: number | null = null;
    try {
      await fireDueLeavers(redis, tenant, this.now(), this.deps.apply);
      report.rounds.push(await runDeltaRound(this.roundDeps(), "users"));
      report.rounds.push(await runDeltaRound(this.roundDeps(), "groups"));
      if (await leaversQueryDue(redis, tenant, this.now(), config.leaveDateQueryHours))
        await refreshLeavers(this.graph, redis, tenant, this.now(), config.leaveDateLookaheadDays);
      next = await fireDueLeavers(redis, tenant, this.now(), this.deps.apply);
    } catch (err) {
      if (this.abort.signal.aborted) return interval;
      const e = err as { code?: string; message?: string };
      report.ok = false;
      report.error = { code: e.code ?? "BRIDGE_GRAPH_REQUEST_FAILED", message: e.message ?? String(err) };
      this.deps.logger.warn(
        { tenant, code: report.error.code, err: report.error.message },
        "entra poll failed",
      );
      // A failed round must not delay a scheduled leave date until the next poll.
      next = await nextLeaveAt(redis, tenant).catch(() => null);
    }
    await this.deps.report?.(report);
    return next === null ? interval : Math.max(0, Math.min(interval, next - this.now().getTime()));
  }

  private roundDeps() {
    const { tenant, redis, apply, config, directory } = this.deps;
    return {
      tenant,
      redis,
      graph: this.graph,
      apply,
      now: this.now,
      stillOwner: () => holdPollLock(redis, tenant, this.owner, LOCK_TTL_MS),
      onLeaveDates: (dates: Array<{ subject: string; at: string | null }>) =>
        noteLeaveDates(redis, tenant, dates, this.now(), config.leaveDateLookaheadDays),
      afterReset: directory
        ? (ctx: DeltaContext, seen: FullRoundSeen) => absentAfterReset(directory, ctx, seen)
        : undefined,
    };
  }

  private schedule(ms: number): void {
    if (this.abort.signal.aborted) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().then(
        (nextMs) => this.schedule(nextMs),
        (err) => {
          this.deps.logger.error({ err }, "entra poll crashed");
          this.schedule(this.deps.config.pollIntervalSeconds * 1000);
        },
      );
    }, ms);
  }

  /** A Retry-After wait that ends early (with an error) when the poller is closed. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const signal = this.abort.signal;
      if (signal.aborted) return reject(new Error("poller closed"));
      const t = setTimeout(resolve, ms);
      signal.addEventListener(
        "abort",
        () => {
          clearTimeout(t);
          reject(new Error("poller closed"));
        },
        { once: true },
      );
    });
  }
}

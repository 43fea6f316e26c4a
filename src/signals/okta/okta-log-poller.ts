// Runs one tenant's System Log poll every pollIntervalSeconds while this process holds the tenant's
// lease (so several worker processes poll each org once), waiting out Okta's rate-limit pauses.
import type { Logger } from "../../log/logger";
import type { ChannelLease } from "../channel-lease";
import { type OktaLogPollDeps, type PollResult, pollOktaLog } from "./poll-okta-log";

export interface OktaLogPollerOptions {
  poll: Omit<OktaLogPollDeps, "stillLeader">;
  lease: ChannelLease;
  intervalMs: number;
  logger: Logger;
}

const LOG = {
  tickFailed: "okta system log tick failed; next tick retries",
  releaseFailed: "okta system log lease release failed; it expires by itself",
} as const;

export class OktaLogPoller {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  /** The last tick's result (tests and status read it). */
  last: PollResult | null = null;

  constructor(private readonly options: OktaLogPollerOptions) {}

  start(): void {
    this.schedule(0);
  }

  /** Runs one tick now (also what the timer calls); resolves with the delay chosen for the next one. */
  async tick(): Promise<number> {
    const { poll, lease, intervalMs, logger } = this.options;
    try {
      this.last = await pollOktaLog({ ...poll, stillLeader: () => lease.hold() });
      return Math.max(intervalMs, this.last.pauseMs);
    } catch (err) {
      // Redis or an unexpected bug: the cursor was not advanced, so the next tick reads the same page.
      logger.error({ tenant: poll.tenant, err }, LOG.tickFailed);
      return intervalMs;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().then((next) => {
        this.running = null;
        this.schedule(next);
      });
    }, delayMs);
  }

  async close(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await this.options.lease.release().catch((err: unknown) => {
      this.options.logger.warn({ tenant: this.options.poll.tenant, err }, LOG.releaseFailed);
    });
  }
}

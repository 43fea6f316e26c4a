// One tick of a tenant's Okta System Log poller (idp-signals.md §2.3, §5.1): at most maxPagesPerTick
// pages from the persisted cursor, each page's events turned into signals, applied in `published` order,
// and only then the page's next link saved — a restart between a poll and its apply re-reads the page
// (nothing lost) and the core's per-channel dedupe by event uuid answers `duplicate` (nothing applied twice).
import type { Logger } from "../../log/logger";
import type { ChannelStateUpdate } from "../channel-state";
import type { IdpSignal, SignalOutcome } from "../idp-signal";
import type { OktaLogCursorStore } from "./okta-log-cursor";
import type { OktaLogFetcher } from "./okta-log-fetcher";
import { firstLogUrl, isSameOrigin } from "./okta-log-links";
import { rateLimitPauseMs } from "./okta-rate-limit";

export interface OktaLogPollDeps {
  tenant: string;
  orgUrl: string;
  eventTypes: readonly string[];
  pageSize: number;
  maxPagesPerTick: number;
  fetcher: OktaLogFetcher;
  cursor: OktaLogCursorStore;
  /** The shared Okta event → signal translation (signals/okta-event-kinds.ts). */
  toSignal: (event: unknown, receivedAt: Date) => IdpSignal | null;
  apply: (signal: IdpSignal) => Promise<SignalOutcome>;
  /** Per-channel state for `signals status` (signals/channel-state.ts). */
  report: (update: ChannelStateUpdate) => Promise<void>;
  /** Before each page: whether this process still holds the tenant's lease. */
  stillLeader: () => Promise<boolean>;
  now: () => Date;
  logger: Logger;
}

export interface PollResult {
  pages: number;
  signals: number;
  /** Wait at least this long before the next request (rate limit); 0 when none is asked. */
  pauseMs: number;
}

export const OKTA_LOG = {
  pageFailed: "okta system log page failed",
  foreignNextLink: "okta system log next link leaves the configured org; not followed",
  applyFailed: "applying an okta system log signal failed; the page is read again next tick",
} as const;

/** Distinct event uuids, oldest `published` first (the System Log is ordered by persistence, not by it). */
export function pageSignals(events: unknown[], toSignal: OktaLogPollDeps["toSignal"], at: Date): IdpSignal[] {
  const byId = new Map<string, IdpSignal>();
  for (const event of events) {
    const signal = toSignal(event, at);
    if (signal && !byId.has(signal.eventId)) byId.set(signal.eventId, signal);
  }
  return [...byId.values()].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
}

function newestPublished(events: unknown[]): number | undefined {
  const times = events
    .map((e) => Date.parse(String((e as { published?: unknown }).published)))
    .filter((t) => !Number.isNaN(t));
  return times.length > 0 ? Math.max(...times) : undefined;
}

async function refuseForeignLink(deps: OktaLogPollDeps): Promise<void> {
  deps.logger.error({ tenant: deps.tenant }, OKTA_LOG.foreignNextLink);
  await deps.report({ error: OKTA_LOG.foreignNextLink });
}

/** Applies a page's signals in order; false (and reported) when one fails, so the page is read again. */
async function applyPage(deps: OktaLogPollDeps, signals: IdpSignal[], result: PollResult): Promise<boolean> {
  for (const signal of signals) {
    try {
      await deps.apply(signal);
    } catch (err) {
      deps.logger.error({ tenant: deps.tenant, eventId: signal.eventId, err }, OKTA_LOG.applyFailed);
      await deps.report({ error: OKTA_LOG.applyFailed });
      return false;
    }
    result.signals += 1;
  }
  return true;
}

export async function pollOktaLog(deps: OktaLogPollDeps): Promise<PollResult> {
  const result: PollResult = { pages: 0, signals: 0, pauseMs: 0 };
  while (result.pages < deps.maxPagesPerTick && (await deps.stillLeader())) {
    const cursor = await deps.cursor.read(deps.now().toISOString());
    const url = cursor.next ?? firstLogUrl(deps.orgUrl, cursor.since, deps.eventTypes, deps.pageSize);
    if (!isSameOrigin(url, deps.orgUrl)) return refuseForeignLink(deps).then(() => result);
    const page = await deps.fetcher.fetchPage(url);
    const at = deps.now();
    if (!page.ok) {
      deps.logger.warn({ tenant: deps.tenant, status: page.status, err: page.message }, OKTA_LOG.pageFailed);
      await deps.report({ error: `okta ${page.status}: ${page.message}` });
      return { ...result, pauseMs: rateLimitPauseMs(page.rate, page.status, at.getTime()) };
    }
    result.pages += 1;
    if (!(await applyPage(deps, pageSignals(page.events, deps.toSignal, at), result))) return result;
    // Okta always sends a next link on a polling query; without one we stay on this page's link.
    if (page.next && !isSameOrigin(page.next, deps.orgUrl)) return refuseForeignLink(deps).then(() => result);
    await deps.cursor.saveNext(page.next ?? url, at);
    const newest = newestPublished(page.events);
    await deps.report({ okAt: at.toISOString(), lagMs: newest === undefined ? 0 : at.getTime() - newest });
    result.pauseMs = rateLimitPauseMs(page.rate, 200, at.getTime());
    if (result.pauseMs > 0 || page.events.length < deps.pageSize) return result;
  }
  return result;
}

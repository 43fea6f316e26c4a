// Builds one System Log poller per tenant that configures `signals.oktaLog` (workers role): the SDK
// fetcher with the tenant's credential from the secrets, the persisted cursor, the tenant's lease, the
// shared Okta event translation, and the per-channel state that `keybridge signals status` reads.
import type { Core } from "../../runtime/build-core";
import { redisKeys } from "../../store/redis-keys";
import { ChannelLease } from "../channel-lease";
import { recordChannelState } from "../channel-state";
import type { IdpSignal, SignalOutcome } from "../idp-signal";
import { OKTA_SIGNAL_EVENT_TYPES, type OktaLogEvent, oktaEventToSignal } from "../okta-event-kinds";
import { OktaLogCursorStore } from "./okta-log-cursor";
import { createOktaLogFetcher } from "./okta-log-fetcher";
import { OktaLogPoller } from "./okta-log-poller";

export interface OktaLogPollers {
  pollers: Map<string, OktaLogPoller>;
  /** Starts every poller (first poll at once). */
  start(): void;
  close(): Promise<void>;
}

/**
 * The lease outlives a normal tick (it is renewed before every page) yet hands the tenant to another
 * worker process within half a minute of this one dying, so a leaver waits at most that long extra.
 */
const leaseTtlMs = (intervalMs: number) => Math.max(30_000, 2 * intervalMs);

/** Builds (and checks the credentials of) every poller without starting any: a bad config throws first. */
export function buildOktaLogPollers(
  core: Core,
  apply: (signal: IdpSignal) => Promise<SignalOutcome>,
): OktaLogPollers {
  const pollers = new Map<string, OktaLogPoller>();
  core.config.tenants.forEach((tenant, index) => {
    const settings = tenant.signals?.oktaLog;
    if (!settings) return;
    const where = `tenants.${index}.signals.oktaLog`;
    const intervalMs = settings.pollIntervalSeconds * 1000;
    const logger = core.logger.child({ component: "okta-log", tenant: tenant.id });
    const poller = new OktaLogPoller({
      poll: {
        tenant: tenant.id,
        orgUrl: settings.orgUrl,
        eventTypes: OKTA_SIGNAL_EVENT_TYPES,
        pageSize: settings.pageSize,
        maxPagesPerTick: settings.maxPagesPerTick,
        fetcher: createOktaLogFetcher(settings, core.config.secrets, where),
        cursor: new OktaLogCursorStore(core.redis, tenant.id),
        toSignal: (event, at) => oktaEventToSignal(tenant.id, "okta-log", event as OktaLogEvent, at),
        apply,
        report: (update) => recordChannelState(core.redis, tenant.id, "okta-log", update, core.clock.now()),
        now: () => core.clock.now(),
        logger,
      },
      lease: new ChannelLease(
        core.redis,
        redisKeys.oktaLogLease(tenant.id),
        core.newId(),
        leaseTtlMs(intervalMs),
      ),
      intervalMs,
      logger,
    });
    pollers.set(tenant.id, poller);
  });
  return {
    pollers,
    start() {
      for (const poller of pollers.values()) poller.start();
    },
    async close() {
      await Promise.all([...pollers.values()].map((p) => p.close()));
    },
  };
}

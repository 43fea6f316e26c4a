// The gauges Prometheus reads from Redis at scrape time, so any API process reports them whichever
// process runs the workers: queue depth, oldest job age and paused per key system (BullMQ), and the
// pending revocations with the longest remaining exposure (the grant ledger).
import type { RedisClient } from "../store/create-redis-client";
import type { Clock } from "../drivers/key-system-driver";
import { readKeySystemStatus } from "../operations/key-system-status";
import { listPendingRevocations } from "../operations/pending-revocations";
import type { GrantLedger } from "../reconcile/grant-ledger";
import type { ReconcileQueues } from "../reconcile/reconcile-queues";
import { METRIC_NAMES, type Metrics, scrapeGauge } from "./metrics";

export interface GaugeSources {
  queues: ReconcileQueues;
  configured: (system: string) => boolean;
  redis: RedisClient;
  ledger: GrantLedger;
  clock: Clock;
  tenants: () => Promise<string[]>;
}

/**
 * The exposure scan walks every ledger key (SCAN): at most once a minute however often Prometheus
 * scrapes, so a 15 s scrape interval on a large directory costs Redis a scan a minute, not four.
 */
const EXPOSURE_SCAN_EVERY_MS = 60_000;

export function registerCoreGauges(metrics: Metrics, sources: GaugeSources): void {
  const queueStatus = () => readKeySystemStatus(sources.queues, sources.configured, sources.clock.now());
  scrapeGauge(
    metrics,
    METRIC_NAMES.queueDepth,
    "Reconcile jobs not yet done, per key system",
    ["system"],
    async (g) => {
      g.reset();
      for (const s of await queueStatus()) g.set({ system: s.system }, s.depth);
    },
  );
  scrapeGauge(
    metrics,
    METRIC_NAMES.queueOldestJobAge,
    "Seconds the job at the head of a key system's queue has waited",
    ["system"],
    async (g) => {
      g.reset();
      for (const s of await queueStatus()) g.set({ system: s.system }, s.oldestJobAgeSeconds);
    },
  );
  scrapeGauge(
    metrics,
    METRIC_NAMES.keySystemPaused,
    "1 when a key system's queue is paused",
    ["system"],
    async (g) => {
      g.reset();
      for (const s of await queueStatus()) g.set({ system: s.system }, s.paused ? 1 : 0);
    },
  );
  const exposure = cachedExposure(sources);
  scrapeGauge(
    metrics,
    METRIC_NAMES.maxExposure,
    "Longest remaining exposure (exposureUntil - now) of a revocation not yet effective, per key system",
    ["system"],
    async (g) => {
      g.reset();
      for (const [system, e] of await exposure()) g.set({ system }, e.maxSeconds);
    },
  );
  scrapeGauge(
    metrics,
    METRIC_NAMES.pendingRevocations,
    "Revocations requested and not yet effective, per key system",
    ["system"],
    async (g) => {
      g.reset();
      for (const [system, e] of await exposure()) g.set({ system }, e.count);
    },
  );
  scrapeGauge(
    metrics,
    METRIC_NAMES.oldestPendingRevocation,
    "Seconds since the oldest revocation not yet effective was requested, per key system (the SLA clock)",
    ["system"],
    async (g) => {
      g.reset();
      for (const [system, e] of await exposure()) g.set({ system }, e.oldestAgeSeconds);
    },
  );
}

interface SystemExposure {
  maxSeconds: number;
  count: number;
  oldestAgeSeconds: number;
}

type Exposure = Map<string, SystemExposure>;

const none = (): SystemExposure => ({ maxSeconds: 0, count: 0, oldestAgeSeconds: 0 });

function cachedExposure(sources: GaugeSources): () => Promise<Exposure> {
  let last: { at: number; value: Exposure } | undefined;
  return async () => {
    const now = sources.clock.now().getTime();
    if (last && now - last.at < EXPOSURE_SCAN_EVERY_MS) return last.value;
    const value: Exposure = new Map(sources.queues.systems().map((s) => [s, none()]));
    for (const r of await listPendingRevocations(sources, await sources.tenants())) {
      const e = value.get(r.system) ?? none();
      e.count += 1;
      e.oldestAgeSeconds = Math.max(e.oldestAgeSeconds, (now - Date.parse(r.requestedAt)) / 1000);
      const left = r.exposureUntil ? (Date.parse(r.exposureUntil) - now) / 1000 : 0;
      e.maxSeconds = Math.max(e.maxSeconds, left);
      value.set(r.system, e);
    }
    last = { at: now, value };
    return value;
  };
}

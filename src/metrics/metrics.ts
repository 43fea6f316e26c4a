// keybridge's Prometheus metrics: one prom-client Registry per process (never the global one), with
// named instruments other code records to. To add one (e.g. the signal channels' signals_total), give
// it a name here and register it in createMetrics, so every metric name lives in this one file and the
// alert-rules test can check docs/prometheus-alerts.yml against it.
import { Counter, Gauge, Histogram, Registry } from "prom-client";

export const METRIC_NAMES = {
  scimRequests: "keybridge_scim_requests_total",
  scimDuration: "keybridge_scim_request_duration_seconds",
  revocationLatency: "keybridge_revocation_latency_seconds",
  driverErrors: "keybridge_driver_errors_total",
  queueDepth: "keybridge_queue_depth",
  queueOldestJobAge: "keybridge_queue_oldest_job_age_seconds",
  keySystemPaused: "keybridge_key_system_paused",
  maxExposure: "keybridge_revocation_max_exposure_seconds",
  pendingRevocations: "keybridge_revocations_pending",
  oldestPendingRevocation: "keybridge_revocation_oldest_pending_age_seconds",
  signals: "keybridge_signals_total",
} as const;

export interface Metrics {
  registry: Registry;
  /** SCIM requests by tenant, templated route (/scim/v2/:tenant/Users/:id) and status. */
  scimRequests: Counter<"tenant" | "route" | "status">;
  scimDuration: Histogram<"tenant" | "route" | "status">;
  /** Requested → effective of each revocation, per key system (offline systems: hours). */
  revocationLatency: Histogram<"system">;
  /** Driver call failures by key system and DriverError kind (retryable, rate_limited, systemic...). */
  driverErrors: Counter<"system" | "kind">;
  /** For the signal channels (src/signals/): signals received by channel and outcome. */
  signals: Counter<"channel" | "status">;
}

/** Seconds: from a fast online revoke to an offline key's revalidation interval (days). */
const REVOCATION_BUCKETS = [1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 24 * 3600, 3 * 24 * 3600, 7 * 24 * 3600];
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics(): Metrics {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    scimRequests: new Counter({
      name: METRIC_NAMES.scimRequests,
      help: "SCIM requests by tenant, templated route and HTTP status",
      labelNames: ["tenant", "route", "status"],
      registers,
    }),
    scimDuration: new Histogram({
      name: METRIC_NAMES.scimDuration,
      help: "SCIM request latency in seconds by tenant, templated route and HTTP status",
      labelNames: ["tenant", "route", "status"],
      buckets: REQUEST_BUCKETS,
      registers,
    }),
    revocationLatency: new Histogram({
      name: METRIC_NAMES.revocationLatency,
      help: "Seconds from a revocation requested to effective, per key system",
      labelNames: ["system"],
      buckets: REVOCATION_BUCKETS,
      registers,
    }),
    driverErrors: new Counter({
      name: METRIC_NAMES.driverErrors,
      help: "Key-system driver call failures by key system and error kind",
      labelNames: ["system", "kind"],
      registers,
    }),
    signals: new Counter({
      name: METRIC_NAMES.signals,
      help: "IdP signals received by channel and outcome",
      labelNames: ["channel", "status"],
      registers,
    }),
  };
}

/** A gauge whose value is read when Prometheus scrapes (queues, exposure): registered on `metrics`. */
export function scrapeGauge<L extends string>(
  metrics: Metrics,
  name: string,
  help: string,
  labelNames: L[],
  collect: (gauge: Gauge<L>) => Promise<void>,
): Gauge<L> {
  return new Gauge<L>({
    name,
    help,
    labelNames,
    registers: [metrics.registry],
    async collect() {
      await collect(this);
    },
  });
}

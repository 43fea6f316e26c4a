// Starts one Entra Graph delta poller per tenant that configures `signals.entra`, in a worker process,
// applying its signals through the signals core. Every worker process starts them; the Redis poll lock
// lets one of them poll a given tenant at a time.
import { ConfigError } from "../config/config-error";
import type { Config } from "../config/config-schema";
import { recordChannelState } from "../signals/channel-state";
import type { IdpSignal, SignalOutcome } from "../signals/idp-signal";
import { EntraPoller, type TickReport } from "../signals/entra/entra-poller";
import { entraCredential, entraTokenSource } from "../signals/entra/entra-token-source";
import type { Core } from "./build-core";

export interface RunningEntraChannels {
  pollers: Map<string, EntraPoller>;
  close(): Promise<void>;
}

export interface EntraChannelOptions {
  /** Each tick's outcome (tests and the bench watch rounds complete). */
  onTick?: (report: TickReport) => void;
}

/**
 * Refuses a start whose Entra channel has no usable credential (secret not set, certificate not a PEM),
 * as the Okta channel does: otherwise the channel would only fail at every poll, silently to SCIM.
 */
export function checkEntraCredentials(config: Config): void {
  const problems: string[] = [];
  config.tenants.forEach((tenant, i) => {
    const entra = tenant.signals?.entra;
    if (!entra) return;
    try {
      entraCredential(entra, config.secrets);
    } catch (err) {
      problems.push(`tenants[${i}].signals.entra: ${(err as Error).message}`);
    }
  });
  if (problems.length > 0) throw new ConfigError("invalid configuration", problems);
}

export function startEntraChannels(
  core: Core,
  apply: (signal: IdpSignal) => Promise<SignalOutcome>,
  options: EntraChannelOptions = {},
): RunningEntraChannels {
  const pollers = new Map<string, EntraPoller>();
  for (const tenant of core.config.tenants) {
    const config = tenant.signals?.entra;
    if (!config) continue;
    const poller = new EntraPoller({
      tenant: tenant.id,
      config,
      redis: core.redis,
      token: entraTokenSource(config, core.config.secrets),
      apply,
      logger: core.logger.child({ tenant: tenant.id, channel: "entra" }),
      now: () => core.clock.now(),
      directory: (tenant.signals?.joinKey ?? "externalId") === "externalId" ? core.store : undefined,
      report: async (r) => {
        options.onTick?.(r);
        const update = r.ok ? { okAt: r.at } : { error: r.error?.code ?? "BRIDGE_GRAPH_REQUEST_FAILED" };
        await recordChannelState(core.redis, tenant.id, "entra", update, core.clock.now());
      },
    });
    pollers.set(tenant.id, poller);
    poller.start();
  }
  return {
    pollers,
    async close() {
      await Promise.all([...pollers.values()].map((p) => p.close()));
    },
  };
}

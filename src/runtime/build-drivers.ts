// Builds one driver per key system declared in the mappings, from config.keySystems. A vendor system
// without connection settings is left unconfigured: its queue keeps its jobs (nothing is lost) and the
// start-up log names it, until an operator configures it.
import { cliqDriverFactory } from "../../connectors/cliq/cliq-driver-factory";
import { iloqDriverFactory } from "../../connectors/iloq/iloq-driver-factory";
import { memoryDriverFactory } from "../../connectors/memory/memory-driver-factory";
import type { Config } from "../config/config-schema";
import { DriverRegistry } from "../drivers/driver-registry";
import type { Clock, KeySystemDriver } from "../drivers/key-system-driver";
import type { Logger } from "../log/logger";
import type { MappingSet } from "../mapping/mapping-set";
import type { SystemSettings } from "../reconcile/reconcile-deps";
import { systemSettingsFromConfig } from "../reconcile/system-settings";

export const DRIVER_LOG = {
  unconfigured: "key system has no connection settings in keySystems; its reconcile jobs wait",
} as const;

export function driverRegistry(): DriverRegistry {
  return new DriverRegistry([memoryDriverFactory, iloqDriverFactory, cliqDriverFactory]);
}

export interface BuiltDrivers {
  drivers: Map<string, KeySystemDriver>;
  unconfigured: string[];
  settings: (system: string) => SystemSettings;
}

/** The vendor refs the mappings bind to a system: a simulated (memory) system offers exactly these. */
function catalogFromMappings(mappings: MappingSet, system: string): Array<Record<string, unknown>> {
  const refs = new Set<string>();
  for (const profile of mappings.profiles.values()) {
    for (const binding of profile.bindings)
      if (binding.system === system) for (const ref of binding.vendorRefs) refs.add(ref);
  }
  return [...refs].sort().map((vendorRef) => ({ vendorRef, name: vendorRef, changeable: true }));
}

/**
 * Options of a memory (simulated) system. Without settings (the `npm start` demo) it simulates
 * programming delays and keeps its state in Redis, so the API, workers and CLI agree. Unless the
 * settings give a catalog, it offers the vendor refs its mappings bind.
 */
function memoryOptions(config: Config, mappings: MappingSet, system: string): Record<string, unknown> {
  const configured = config.keySystems[system]?.options;
  const catalog = catalogFromMappings(mappings, system);
  return {
    ...(configured
      ? {}
      : { programmingDelayMs: 5_000, propagationDelayMs: 5_000, redisUrl: config.redisUrl }),
    ...(catalog.length > 0 ? { catalog } : {}),
    ...configured,
  };
}

/** Memory systems run without settings (the demo); vendor systems need `keySystems.<id>` to connect. */
export function isConfiguredSystem(config: Config, system: string, driver: string): boolean {
  return config.keySystems[system] !== undefined || driver === "memory";
}

export function buildDrivers(
  config: Config,
  mappings: MappingSet,
  deps: { logger: Logger; clock: Clock },
  registry: DriverRegistry = driverRegistry(),
): BuiltDrivers {
  const drivers = new Map<string, KeySystemDriver>();
  const unconfigured: string[] = [];
  for (const [system, def] of mappings.keySystems) {
    const settings = config.keySystems[system];
    if (!isConfiguredSystem(config, system, def.driver)) {
      deps.logger.warn({ system, driver: def.driver }, DRIVER_LOG.unconfigured);
      unconfigured.push(system);
      continue;
    }
    const options = def.driver === "memory" ? memoryOptions(config, mappings, system) : settings?.options;
    const logger = deps.logger.child({ system });
    drivers.set(
      system,
      registry.create(
        system,
        def.driver,
        options,
        { logger, clock: deps.clock, secrets: config.secrets },
        def.scope,
      ),
    );
  }
  return {
    drivers,
    unconfigured,
    settings: systemSettingsFromConfig(config, drivers),
  };
}

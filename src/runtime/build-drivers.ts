// Builds one driver per key system declared in the mappings, from config.keySystems. A vendor system
// without connection settings is left unconfigured: its changes wait in its deferred outbox (nothing is
// lost, nothing piles up) and the start-up log names it, until an operator configures it.
import { cliqDriverFactory } from "../../connectors/cliq/cliq-driver-factory";
import { iloqDriverFactory } from "../../connectors/iloq/iloq-driver-factory";
import { memoryDriverFactory } from "../../connectors/memory/memory-driver-factory";
import { ConfigError } from "../config/config-error";
import type { Config } from "../config/config-schema";
import { DriverRegistry } from "../drivers/driver-registry";
import type { Clock, KeySystemDriver } from "../drivers/key-system-driver";
import type { Logger } from "../log/logger";
import { loadMappings } from "../mapping/load-mappings";
import type { MappingSet } from "../mapping/mapping-set";
import type { SystemSettings } from "../reconcile/reconcile-deps";
import { systemSettingsFromConfig } from "../reconcile/system-settings";
import { mappingLoadOptions } from "./driver-scope-schemas";
import { isConfiguredSystem } from "./is-configured-system";

export const DRIVER_LOG = {
  unconfigured:
    "key system has no connection settings in keySystems; its changes wait until it is configured",
} as const;

export function driverRegistry(): DriverRegistry {
  return new DriverRegistry([memoryDriverFactory, iloqDriverFactory, cliqDriverFactory]);
}

/**
 * Whether a driver kind enforces schedules, known without connecting (its factory's static
 * capabilities); a driver that declares nothing counts as "cannot", never as wider access.
 */
export function driverCanSchedule(driver: string): boolean {
  return driverRegistry().capabilities(driver)?.schedules ?? false;
}

/** Loads the mappings with the checks that need the drivers' capabilities (start and `mappings check`). */
export function loadMappingsForDrivers(dir: string): MappingSet {
  return loadMappings(dir, { ...mappingLoadOptions, canSchedule: driverCanSchedule });
}

/**
 * keySystems.<id>.credential must name a kind the system's driver can issue: refused at start-up with
 * the config path, instead of every joiner failing at the vendor later.
 */
export function checkCredentialSetting(
  config: Config,
  system: string,
  driver: string,
  registry: DriverRegistry,
) {
  const kind = config.keySystems[system]?.credential?.kind;
  const issuable = registry.capabilities(driver)?.credentialKinds;
  if (kind === undefined || kind === "none" || issuable === undefined || issuable.includes(kind)) return;
  throw new ConfigError(`key system ${system}: invalid credential setting`, [
    `keySystems.${system}.credential.kind: driver ${driver} cannot issue "${kind}" credentials (it issues: ${issuable.join(", ") || "none"})`,
  ]);
}

/**
 * A tag or physical key needs a serial from the person's data when the driver cannot pick one itself
 * (iLOQ: the key's ROM id); a driver with a key pool (CLIQ) needs none. Refused at start-up, not per joiner.
 */
function checkSerialSource(config: Config, system: string, driver: KeySystemDriver) {
  const setting = config.keySystems[system]?.credential;
  if (!setting || (setting.kind !== "tag" && setting.kind !== "physical")) return;
  if (setting.serialAttribute !== undefined || !driver.describe().credentialNeeds?.serial) return;
  throw new ConfigError(`key system ${system}: invalid credential setting`, [
    `keySystems.${system}.credential.serialAttribute: driver ${driver.driver} needs the key's serial for "${setting.kind}" credentials; name the SCIM attribute that holds it`,
  ]);
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
      : {
          programmingDelayMs: 5_000,
          propagationDelayMs: 5_000,
          redisUrl: config.redisUrl,
          ...(config.redis.clusterNodes ? { redisClusterNodes: config.redis.clusterNodes } : {}),
        }),
    ...(catalog.length > 0 ? { catalog } : {}),
    ...configured,
  };
}

export { isConfiguredSystem };

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
    checkCredentialSetting(config, system, def.driver, registry);
    const options = def.driver === "memory" ? memoryOptions(config, mappings, system) : settings?.options;
    const logger = deps.logger.child({ system });
    const driver = registry.create(
      system,
      def.driver,
      options,
      { logger, clock: deps.clock, secrets: config.secrets },
      def.scope,
    );
    checkSerialSource(config, system, driver);
    drivers.set(system, driver);
  }
  return {
    drivers,
    unconfigured,
    settings: systemSettingsFromConfig(config, drivers),
  };
}

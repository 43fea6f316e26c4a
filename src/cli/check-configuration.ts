// `keybridge config check`: the validation `start` runs, without starting anything — the config
// schema, the mapping directory, every configured key system's driver options through its driver
// factory (and secrets) — then each declared key system as configured or not.
import type { Config } from "../config/config-schema";
import { DriverRegistry } from "../drivers/driver-registry";
import type { DriverFactory } from "../drivers/key-system-driver";
import { systemClock } from "../drivers/key-system-driver";
import { silentLogger } from "../log/logger";
import { buildDrivers, driverRegistry, loadMappingsForDrivers } from "../runtime/build-drivers";
import { isConfiguredSystem } from "../runtime/is-configured-system";
import type { CommandIo } from "./mappings-command";

/**
 * The real factories, except that a simulated (memory) system keeps its state in process: a check
 * validates the same options but opens no connection (a Redis-backed simulator would connect).
 */
function checkingRegistry(): DriverRegistry {
  const real = driverRegistry();
  const scopeSchemas = real.scopeSchemas();
  const factories: DriverFactory[] = real.names().map((driver) => {
    const scopeSchema = scopeSchemas.get(driver);
    if (!scopeSchema) throw new Error(`driver ${driver} declares no scope schema`);
    const capabilities = real.capabilities(driver);
    return {
      driver,
      scopeSchema,
      ...(capabilities ? { capabilities } : {}),
      create: (systemId, options, deps, scope) =>
        real.create(
          systemId,
          driver,
          driver === "memory" && options && typeof options === "object"
            ? { ...options, redisUrl: undefined }
            : options,
          deps,
          scope,
        ),
    };
  });
  return new DriverRegistry(factories);
}

/** Throws ConfigError or MappingError like `start`; prints the summary when everything holds. */
export async function checkConfiguration(config: Config, io: CommandIo): Promise<void> {
  const mappings = loadMappingsForDrivers(config.mappingsDir);
  const built = buildDrivers(
    config,
    mappings,
    { logger: silentLogger(), clock: systemClock },
    checkingRegistry(),
  );
  await Promise.all([...built.drivers.values()].map((d) => d.close()));
  io.out(
    `configuration ok: ${config.tenants.length} tenant(s); mappings ${config.mappingsDir}: ` +
      `${mappings.keySystems.size} key system(s), ${mappings.profiles.size} profile(s), ${mappings.rules.length} rule(s)\n`,
  );
  for (const [system, def] of mappings.keySystems) {
    const settings = config.keySystems[system];
    const state = !isConfiguredSystem(config, system, def.driver)
      ? `not configured: no keySystems.${system} settings; its changes wait until it is configured`
      : settings
        ? `configured, mode ${settings.mode}`
        : "configured (simulated, no settings needed)";
    io.out(`  key system ${system} (${def.driver}): ${state}\n`);
  }
  for (const system of Object.keys(config.keySystems))
    if (!mappings.keySystems.has(system))
      io.out(`  warning: keySystems.${system} is configured but no mapping file declares that key system\n`);
}

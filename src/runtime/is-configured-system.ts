// Whether a worker can reach a key system: memory systems run without settings (the demo), vendor
// systems need `keySystems.<id>` to connect. Kept apart from build-drivers so `serve` loads no driver code.
import type { Config } from "../config/config-schema";
import type { MappingSet } from "../mapping/mapping-set";

export function isConfiguredSystem(config: Config, system: string, driver: string): boolean {
  return config.keySystems[system] !== undefined || driver === "memory";
}

/** The predicate over the mappings in force (a reload that declares a system is seen at once). */
export function configuredSystems(config: Config, mappings: () => MappingSet): (system: string) => boolean {
  return (system) => isConfiguredSystem(config, system, mappings().keySystems.get(system)?.driver ?? "");
}

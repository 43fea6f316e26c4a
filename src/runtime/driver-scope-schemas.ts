// Each driver's key-system scope schema by driver name, for the mapping loader. The same objects the
// driver factories declare (a test checks it against DriverRegistry.scopeSchemas()), imported from the
// connectors' small scope files so that `keybridge serve` and the CLI need no driver code to check mappings.
import { cliqScopeSchema } from "../../connectors/cliq/cliq-scope";
import { iloqScopeSchema } from "../../connectors/iloq/iloq-scope";
import { memoryScopeSchema } from "../../connectors/memory/memory-scope";
import type { MappingLoadOptions } from "../mapping/load-mappings";
import { loadMappings } from "../mapping/load-mappings";
import type { ScopeSchemas } from "../mapping/check-key-system-scope";
import type { MappingSet } from "../mapping/mapping-set";

export const driverScopeSchemas: ScopeSchemas = new Map([
  ["memory", memoryScopeSchema],
  ["iloq", iloqScopeSchema],
  ["cliq", cliqScopeSchema],
]);

/** What every process and command hands the mapping loader. */
export const mappingLoadOptions: MappingLoadOptions = { scopeSchemas: driverScopeSchemas };

/** Loads a mapping directory with every driver's scope checked (the loader all processes use). */
export function loadCheckedMappings(dir: string): MappingSet {
  return loadMappings(dir, mappingLoadOptions);
}

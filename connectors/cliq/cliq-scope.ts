// The scope a CLIQ key system declares in the mappings: the CWM domain it administers (key-systems.md
// §1.2 "Domain": an administrative region of cylinders, keys and persons; a cylinder belongs to one).
import { z } from "zod";
import { ConfigError } from "../../src/config/config-error";
import { oneSetting, parseKeySystemScope } from "../../src/drivers/parse-key-system-scope";
import type { CliqOptions } from "./cliq-options";

export const cliqScopeSchema = z
  .strictObject({
    domain: z.string().min(1).optional().describe("CWM domain id; or options.domainId in the config"),
  })
  .describe("CLIQ key-system scope");

export type CliqScope = z.infer<typeof cliqScopeSchema>;

/** Options with the one CWM domain every call of this key system uses. */
export type CliqSettings = CliqOptions & { domainId: string };

/** The domain comes from the mapping scope or the options, never from both with different values. */
export function resolveCliqSettings(systemId: string, options: CliqOptions, scope: unknown): CliqSettings {
  const parsed: CliqScope = parseKeySystemScope(systemId, "cliq", cliqScopeSchema, scope);
  const names = { scope: "domain", option: "domainId" };
  const domainId = oneSetting(systemId, names, parsed.domain, options.domainId);
  if (domainId === undefined) {
    throw new ConfigError(`key system ${systemId}: no CWM domain`, [
      "set scope.domain on the KeySystem in the mappings (or options.domainId in the config)",
    ]);
  }
  return { ...options, domainId };
}

// The scope an iLOQ key system declares in the mappings: the locking system (LockGroup_ID, selected with
// SetLockgroup) and the zone new persons and keys are placed in (key-systems.md §2.1, §2.2 "Zone").
import { z } from "zod";
import { ConfigError } from "../../src/config/config-error";
import { oneSetting, parseKeySystemScope } from "../../src/drivers/parse-key-system-scope";
import type { IloqOptions } from "./iloq-options";

export const iloqScopeSchema = z
  .strictObject({
    lockGroupId: z.string().min(1).optional().describe("LockGroup_ID; or options.lockGroupId in the config"),
    zoneId: z.string().min(1).optional().describe("Zone_ID for new persons and keys; or options.zoneId"),
  })
  .describe("iLOQ key-system scope");

export type IloqScope = z.infer<typeof iloqScopeSchema>;

/** Lock group and zone come from the mapping scope or the options, never from both with different values. */
export function resolveIloqOptions(systemId: string, options: IloqOptions, scope: unknown): IloqOptions {
  const parsed: IloqScope = parseKeySystemScope(systemId, "iloq", iloqScopeSchema, scope);
  const lockGroupId = oneSetting(
    systemId,
    { scope: "lockGroupId", option: "lockGroupId" },
    parsed.lockGroupId,
    options.lockGroupId,
  );
  if (lockGroupId === undefined) {
    throw new ConfigError(`key system ${systemId}: no iLOQ lock group`, [
      "set scope.lockGroupId on the KeySystem in the mappings (or options.lockGroupId in the config)",
    ]);
  }
  const zoneId = oneSetting(systemId, { scope: "zoneId", option: "zoneId" }, parsed.zoneId, options.zoneId);
  return { ...options, lockGroupId, ...(zoneId !== undefined ? { zoneId } : {}) };
}

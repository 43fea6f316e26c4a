// Warns about group references in rules that match no group of the directory: usually a typo or a group
// the IdP has not provisioned yet. A warning, not an error: the group may arrive with the next sync.
import type { GroupRef } from "../store/directory-types";
import type { MappingProblem } from "./mapping-error";
import type { MappingSet } from "./mapping-set";

export function checkGroupReferences(
  mappings: MappingSet,
  groups: GroupRef[],
  tenant?: string,
): MappingProblem[] {
  const ids = new Set(groups.map((g) => g.id));
  const externalIds = new Set(groups.flatMap((g) => (g.externalId === undefined ? [] : [g.externalId])));
  const names = new Set(groups.map((g) => g.displayName.toLowerCase()));
  const rules = tenant === undefined ? mappings.rules : mappings.rulesForTenant(tenant);
  const warnings: MappingProblem[] = [];
  for (const rule of rules)
    for (const ref of rule.groupReferences) {
      const known =
        ref.by === "id"
          ? ids.has(ref.value)
          : ref.by === "externalId"
            ? externalIds.has(ref.value)
            : names.has(ref.value.toLowerCase());
      if (known) continue;
      const where = tenant === undefined ? "the directory" : `tenant "${tenant}"`;
      const message = `no group with ${ref.by} ${JSON.stringify(ref.value)} in ${where}; the condition matches nobody`;
      warnings.push({ file: ref.file, line: ref.line, path: ref.path, message });
    }
  return warnings;
}

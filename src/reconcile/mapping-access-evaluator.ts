// Adapts mapping/'s MappingSet to the pipeline's AccessEvaluator port. `current` returns the set in
// force (a holder that reloads returns the new one), so a running worker picks up reloaded mappings.
import { desiredGrants } from "../mapping/evaluate-person";
import type { MappingSet } from "../mapping/mapping-set";
import type { AccessEvaluator } from "./reconcile-deps";

export function mappingAccessEvaluator(current: () => MappingSet): AccessEvaluator {
  return {
    systems: () => [...current().keySystems.keys()].sort(),
    scopeOf(system) {
      const scope = current().keySystems.get(system)?.scope;
      if (!scope) return undefined;
      // HolderSpec.scope is one opaque string: the vendor scope keys in a stable order.
      return JSON.stringify(Object.fromEntries(Object.entries(scope).sort(([a], [b]) => (a < b ? -1 : 1))));
    },
    fingerprint: () => current().fingerprint,
    evaluate: (person, now) =>
      desiredGrants({ user: person.user, groups: person.groups }, person.tenant, current(), now),
  };
}

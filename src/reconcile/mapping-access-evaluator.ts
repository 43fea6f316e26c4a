// Adapts mapping/'s MappingSet to the pipeline's AccessEvaluator port. `current` returns the set in
// force (a holder that reloads returns the new one), so a running worker picks up reloaded mappings.
import { desiredGrants } from "../mapping/evaluate-person";
import type { MappingSet } from "../mapping/mapping-set";
import type { AccessEvaluator } from "./reconcile-deps";

export function mappingAccessEvaluator(current: () => MappingSet): AccessEvaluator {
  return {
    systems: () => [...current().keySystems.keys()].sort(),
    fingerprint: () => current().fingerprint,
    evaluate: (person, now) =>
      desiredGrants({ user: person.user, groups: person.groups }, person.tenant, current(), now),
  };
}

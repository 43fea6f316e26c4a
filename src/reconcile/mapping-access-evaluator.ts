// Adapts mapping/'s MappingSet to the pipeline's AccessEvaluator port. `current` returns the set in
// force (a holder that reloads returns the new one), so a running worker picks up reloaded mappings.
import { desiredGrants } from "../mapping/evaluate-person";
import type { MappingSet } from "../mapping/mapping-set";
import type { AccessEvaluator } from "./reconcile-deps";

export function mappingAccessEvaluator(current: () => MappingSet): AccessEvaluator {
  return {
    systems: () => [...current().keySystems.keys()].sort(),
    fingerprint: () => current().fingerprint,
    evaluate: (person, now) => {
      const desired = desiredGrants(
        { user: person.user, groups: person.groups },
        person.tenant,
        current(),
        now,
      );
      // An operator's emergency revoke overrides the rules in the systems it names (suspending-directory.ts).
      const suspended = person.suspendedIn;
      if (!suspended || suspended.length === 0) return desired;
      return suspended.includes("*") ? [] : desired.filter((g) => !suspended.includes(g.system));
    },
  };
}

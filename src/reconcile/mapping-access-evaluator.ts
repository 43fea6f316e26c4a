// Adapts mapping/'s MappingSet to the pipeline's AccessEvaluator port. `current` returns the set in
// force (a holder that reloads returns the new one), so a running worker picks up reloaded mappings.
import { desiredGrants } from "../mapping/evaluate-person";
import type { MappingSet } from "../mapping/mapping-set";
import { activeSuspension, unsuppressedGroups } from "../signals/signal-hold";
import { isUserActive } from "../store/user-active";
import type { AccessEvaluator } from "./reconcile-deps";

export function mappingAccessEvaluator(current: () => MappingSet): AccessEvaluator {
  return {
    systems: () => [...current().keySystems.keys()].sort(),
    fingerprint: () => current().fingerprint,
    // The one place IdP signals take effect (issue #11): every reader of desired access — the reconcile,
    // its priority, access status — comes through here, while mapping/ stays about rules and the stored
    // SCIM user keeps saying what SCIM said. A person suspended by signal desires nothing; a group a
    // signal removed them from counts as left.
    evaluate: (person, now) => {
      if (activeSuspension(person.signalHold, isUserActive(person.user))) return [];
      const groups = unsuppressedGroups(person.groups, person.signalHold);
      return desiredGrants({ user: person.user, groups }, person.tenant, current(), now);
    },
  };
}

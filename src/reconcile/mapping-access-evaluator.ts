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
    // The one place IdP signals and operator suspensions take effect (issues #11, #12): every reader of
    // desired access — the reconcile, its priority, access status — comes through here, while mapping/
    // stays about rules and the stored SCIM user keeps saying what SCIM said. A person suspended by
    // signal desires nothing; a group a signal removed them from counts as left; an operator's emergency
    // revoke empties the systems it names (suspending-directory.ts).
    evaluate: (person, now) => {
      if (activeSuspension(person.signalHold, isUserActive(person.user))) return [];
      const groups = unsuppressedGroups(person.groups, person.signalHold);
      const desired = desiredGrants({ user: person.user, groups }, person.tenant, current(), now);
      const suspended = person.suspendedIn;
      if (!suspended || suspended.length === 0) return desired;
      return suspended.includes("*") ? [] : desired.filter((g) => !suspended.includes(g.system));
    },
  };
}

// The answer to "why does she hold this profile?" as JSON-ready data: each desired grant with the rules
// that justify it and the attribute values that made them match, plus near misses and withheld grants.
import type { DesiredGrant } from "../access/desired-grant";
import { evaluatePerson } from "./evaluate-person";
import type { ConditionEvidence } from "./explain-condition";
import type { MappingSet } from "./mapping-set";
import type { MappingPerson } from "./person-facts";
import { isUserActive } from "../store/user-active";

export interface RuleReason {
  rule: string;
  description?: string;
  /** `file:line` of the rule. */
  source: string;
  evidence: ConditionEvidence[];
}

export interface ExplainedGrant extends Omit<DesiredGrant, "reasons"> {
  reasons: RuleReason[];
}

export interface PersonExplanation {
  tenant: string;
  personId: string;
  userName: string;
  active: boolean;
  evaluatedAt: string;
  mappingsFingerprint: string;
  grants: ExplainedGrant[];
  /** Rules that matched but whose grant is not desired now (closed window, unparseable HR date). */
  withheld: Array<{ rule: string; system: string; profile: string; reason: string }>;
  /** Rules one failed condition away from matching. */
  nearMisses: Array<{ rule: string; description?: string; source: string; failed: ConditionEvidence[] }>;
}

export function explainPerson(
  person: MappingPerson,
  tenant: string,
  mappings: MappingSet,
  now: Date,
): PersonExplanation {
  const evaluation = evaluatePerson(person, tenant, mappings, now);
  const byRule = new Map(evaluation.explanations.map((e) => [e.rule, e]));
  const where = (s: { file: string; line: number }) => `${s.file}:${s.line}`;
  const grants = evaluation.grants.map((g): ExplainedGrant => {
    const reasons = g.reasons.map((name): RuleReason => {
      const e = byRule.get(name)!;
      const r: RuleReason = { rule: name, source: where(e.source), evidence: e.evidence ?? [] };
      if (e.description !== undefined) r.description = e.description;
      return r;
    });
    return { ...g, reasons };
  });
  const withheld = evaluation.explanations.flatMap((e) =>
    (e.grants ?? []).flatMap((o) =>
      o.withheld ? [{ rule: e.rule, system: o.system, profile: o.profile, reason: o.withheld }] : [],
    ),
  );
  const nearMisses = evaluation.explanations.flatMap((e) => {
    if (!e.nearMiss) return [];
    const miss: PersonExplanation["nearMisses"][number] = {
      rule: e.rule,
      source: where(e.source),
      failed: e.nearMiss,
    };
    if (e.description !== undefined) miss.description = e.description;
    return [miss];
  });
  return {
    tenant,
    personId: person.user.id,
    userName: person.user.userName,
    active: isUserActive(person.user),
    evaluatedAt: now.toISOString(),
    mappingsFingerprint: mappings.fingerprint,
    grants,
    withheld,
    nearMisses,
  };
}

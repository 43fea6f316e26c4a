// Evaluation: one person + the mappings + now → the grants they should hold, with reasons, and (unless
// asked not to) an explanation per rule. Pure: no I/O, no clock but `now`.
import type { DesiredGrant } from "../access/desired-grant";
import { type ConditionEvidence, evidenceFor, failuresFor } from "./explain-condition";
import { type Justification, mergeJustifications, ruleWindow } from "./grant-window";
import type { MappingSet, RuleDef, SourceRef } from "./mapping-set";
import { collectPersonFacts, type MappingPerson, type PersonFacts } from "./person-facts";

export interface RuleGrantOutcome {
  system: string;
  profile: string;
  /** ISO 8601, absent = open. */
  notBefore?: string;
  notAfter?: string;
  /** Why this rule's grant is not desired (closed window, unparseable date); absent when it counts. */
  withheld?: string;
}

export interface RuleExplanation {
  rule: string;
  description?: string;
  source: SourceRef;
  outcome: "matched" | "not-matched" | "not-for-tenant" | "person-inactive";
  /** matched: the tests that held, with the values seen. */
  evidence?: ConditionEvidence[];
  /** matched: what the rule grants this person, window by window. */
  grants?: RuleGrantOutcome[];
  /** not-matched, one failed test away from matching: that test and the values seen. */
  nearMiss?: ConditionEvidence[];
}

export interface Evaluation {
  grants: DesiredGrant[];
  explanations: RuleExplanation[];
}

const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : undefined);

function explainSkipped(
  rule: RuleDef,
  outcome: RuleExplanation["outcome"],
  facts?: PersonFacts,
): RuleExplanation {
  const e: RuleExplanation = { rule: rule.name, source: rule.source, outcome };
  if (rule.description !== undefined) e.description = rule.description;
  if (facts && outcome === "not-matched") {
    const miss = failuresFor(rule.condition, facts, true);
    if (miss.cost === 1) e.nearMiss = miss.failed;
  }
  return e;
}

/** Collects, per `system/profile`, the windows matching rules justify. */
function justify(
  rule: RuleDef,
  facts: PersonFacts,
  mappings: MappingSet,
  now: number,
  into: Map<string, Justification[]>,
  outcomes: RuleGrantOutcome[] | null,
): void {
  for (const name of rule.grants) {
    const profile = mappings.profiles.get(name)!;
    for (const binding of profile.bindings) {
      const zone = mappings.keySystems.get(binding.system)!.timeZone;
      const result = ruleWindow(facts.user, rule.validity, profile, zone, now);
      if (outcomes) {
        const o: RuleGrantOutcome = { system: binding.system, profile: name };
        if (result.ok) {
          const [nb, na] = [iso(result.window.from), iso(result.window.until)];
          if (nb) o.notBefore = nb;
          if (na) o.notAfter = na;
        } else o.withheld = result.reason;
        outcomes.push(o);
      }
      if (!result.ok) continue;
      const key = `${binding.system}\u0000${name}`;
      const list = into.get(key);
      if (list) list.push({ rule: rule.name, window: result.window });
      else into.set(key, [{ rule: rule.name, window: result.window }]);
    }
  }
}

function toGrants(justified: Map<string, Justification[]>, mappings: MappingSet): DesiredGrant[] {
  const grants: DesiredGrant[] = [];
  for (const [key, items] of justified) {
    const [system, name] = key.split("\u0000") as [string, string];
    const profile = mappings.profiles.get(name)!;
    const merged = mergeJustifications(items);
    const binding = profile.bindings.find((b) => b.system === system)!;
    const grant: DesiredGrant = {
      system,
      profile: name,
      vendorRefs: binding.vendorRefs,
      critical: profile.critical,
      reasons: merged.rules,
    };
    const [nb, na] = [iso(merged.window.from), iso(merged.window.until)];
    if (nb) grant.notBefore = nb;
    if (na) grant.notAfter = na;
    if (profile.schedule) grant.schedule = profile.schedule;
    grants.push(grant);
  }
  return grants.sort((a, b) =>
    a.system === b.system ? (a.profile < b.profile ? -1 : 1) : a.system < b.system ? -1 : 1,
  );
}

function run(
  person: MappingPerson,
  tenant: string,
  mappings: MappingSet,
  now: Date,
  explain: boolean,
): Evaluation {
  const explanations: RuleExplanation[] = [];
  const applicable = mappings.rulesForTenant(tenant);
  if (!person.user.active) {
    if (explain) for (const r of mappings.rules) explanations.push(explainSkipped(r, "person-inactive"));
    return { grants: [], explanations };
  }
  const facts = collectPersonFacts(person);
  const nowMs = now.getTime();
  const justified = new Map<string, Justification[]>();
  for (const rule of applicable) {
    if (!rule.condition.test(facts)) {
      if (explain) explanations.push(explainSkipped(rule, "not-matched", facts));
      continue;
    }
    const outcomes = explain ? [] : null;
    justify(rule, facts, mappings, nowMs, justified, outcomes);
    if (explain) {
      const e = explainSkipped(rule, "matched");
      e.evidence = evidenceFor(rule.condition, facts);
      e.grants = outcomes!;
      explanations.push(e);
    }
  }
  if (explain && applicable.length !== mappings.rules.length)
    for (const r of mappings.rules)
      if (!applicable.includes(r)) explanations.push(explainSkipped(r, "not-for-tenant"));
  if (explain) explanations.sort((a, b) => (a.rule < b.rule ? -1 : 1));
  return { grants: toGrants(justified, mappings), explanations };
}

/** Desired grants (sorted by system, then profile) and one explanation per rule (sorted by rule name). */
export function evaluatePerson(
  person: MappingPerson,
  tenant: string,
  mappings: MappingSet,
  now: Date,
): Evaluation {
  return run(person, tenant, mappings, now, true);
}

/** The same grants as evaluatePerson without explanations: the hot path for reconcile and plan. */
export function desiredGrants(
  person: MappingPerson,
  tenant: string,
  mappings: MappingSet,
  now: Date,
): DesiredGrant[] {
  return run(person, tenant, mappings, now, false).grants;
}

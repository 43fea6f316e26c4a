// Evaluation: one person + the mappings + now → the grants they should hold, with reasons, and (unless
// asked not to) an explanation per rule. Pure: no I/O, no clock but `now`.
import type { DesiredGrant } from "../access/desired-grant";
import { type ConditionEvidence, evidenceFor, failuresFor } from "./explain-condition";
import { type Justification, mergeJustifications, ruleWindow } from "./grant-window";
import type { StoredUser } from "../store/directory-types";
import type { GrantTarget, MappingSet, RuleDef, SourceRef } from "./mapping-set";
import { collectPersonFacts, type MappingPerson, type PersonFacts } from "./person-facts";
import { isUserActive } from "../store/user-active";

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
    // A rule of one test is never "nearly" matched: its failure says nothing about this person.
    const miss = rule.leafCount > 1 ? failuresFor(rule.condition, facts, true) : null;
    if (miss?.cost === 1) e.nearMiss = miss.failed;
  }
  return e;
}

interface Justified {
  target: GrantTarget;
  items: Justification[];
}

/** Collects, per grant target, the windows matching rules justify. */
function justify(
  rule: RuleDef,
  user: StoredUser,
  now: number,
  into: Map<string, Justified>,
  outcomes: RuleGrantOutcome[] | null,
): void {
  for (const target of rule.targets) {
    const result = ruleWindow(user, rule.validity, target.profile, target.timeZone, now);
    if (outcomes) {
      const o: RuleGrantOutcome = { system: target.system, profile: target.profile.name };
      if (result.ok) {
        const [nb, na] = [iso(result.window.from), iso(result.window.until)];
        if (nb) o.notBefore = nb;
        if (na) o.notAfter = na;
      } else o.withheld = result.reason;
      outcomes.push(o);
    }
    if (!result.ok) continue;
    const entry = into.get(target.key);
    if (entry) entry.items.push({ rule: rule.name, window: result.window });
    else into.set(target.key, { target, items: [{ rule: rule.name, window: result.window }] });
  }
}

function toGrants(justified: Map<string, Justified>): DesiredGrant[] {
  const grants: DesiredGrant[] = [];
  for (const { target, items } of justified.values()) {
    const profile = target.profile;
    const merged = mergeJustifications(items);
    const grant: DesiredGrant = {
      system: target.system,
      profile: profile.name,
      vendorRefs: target.vendorRefs,
      critical: profile.critical,
      reasons: merged.rules,
    };
    const [nb, na] = [iso(merged.window.from), iso(merged.window.until)];
    if (nb) grant.notBefore = nb;
    if (na) grant.notAfter = na;
    if (profile.schedule) grant.schedule = profile.schedule;
    grants.push(grant);
  }
  if (grants.length < 2) return grants;
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
  if (!isUserActive(person.user)) {
    if (explain) for (const r of mappings.rules) explanations.push(explainSkipped(r, "person-inactive"));
    return { grants: [], explanations };
  }
  const facts = collectPersonFacts(person);
  const nowMs = now.getTime();
  const justified = new Map<string, Justified>();
  for (const rule of applicable) {
    if (!rule.condition.test(facts)) {
      if (explain) explanations.push(explainSkipped(rule, "not-matched", facts));
      continue;
    }
    const outcomes = explain ? [] : null;
    justify(rule, facts.user, nowMs, justified, outcomes);
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
  return { grants: toGrants(justified), explanations };
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

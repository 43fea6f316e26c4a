// Assembles parsed documents into one MappingSet: duplicate names, cross references (rule → profile →
// key system) and per-kind checks; every problem is collected so one run shows them all.
import { checkScheduleBindings } from "./check-schedule-bindings";
import type { MappingProblem } from "./mapping-error";
import type { GrantTarget, KeySystemDef, MappingSet, ProfileDef, RuleDef } from "./mapping-set";
import { buildProfile, type DocContext, report } from "./build-profile";
import { buildRule } from "./build-rule";
import { checkKeySystemScope, type ScopeSchemas } from "./check-key-system-scope";
import type { MappingLoadOptions } from "./load-mappings";
import { fingerprintMappings } from "./mapping-fingerprint";
import type { ParsedDocument } from "./parse-mapping-documents";
import { isValidTimeZone } from "./zoned-time";

function context(d: ParsedDocument, problems: MappingProblem[], checkReferences = true): DocContext {
  return { file: d.file, line: d.line, label: d.label, locate: d.locate, problems, checkReferences };
}

/** Keeps the first definition of each name and reports later ones. */
function unique<T extends ParsedDocument>(
  docs: T[],
  nameOf: (d: T) => string,
  problems: MappingProblem[],
): T[] {
  const first = new Map<string, T>();
  for (const d of docs) {
    const name = nameOf(d);
    const earlier = first.get(name);
    if (earlier) {
      const where = `${earlier.file}:${earlier.line}`;
      report(
        context(d, problems),
        [d.kind === "KeySystem" ? "id" : "name"],
        `duplicate ${d.kind} "${name}" (first defined at ${where})`,
      );
    } else first.set(name, d);
  }
  return [...first.values()];
}

function buildKeySystem(
  d: Extract<ParsedDocument, { kind: "KeySystem" }>,
  problems: MappingProblem[],
  scopeSchemas: ScopeSchemas | undefined,
): KeySystemDef {
  const doc = d.doc;
  const timeZone = doc.timeZone ?? "UTC";
  if (!isValidTimeZone(timeZone))
    report(context(d, problems), ["timeZone"], `unknown IANA time zone ${JSON.stringify(timeZone)}`);
  const def: KeySystemDef = {
    id: doc.id,
    driver: doc.driver,
    timeZone,
    source: { file: d.file, line: d.line },
  };
  const scope = checkKeySystemScope({ ...d, driver: doc.driver, scope: doc.scope }, scopeSchemas, problems);
  if (scope) def.scope = scope;
  if (doc.description !== undefined) def.description = doc.description;
  return def;
}

function tenantIndex(rules: RuleDef[]): (tenant: string) => readonly RuleDef[] {
  const memo = new Map<string, readonly RuleDef[]>();
  return (tenant) => {
    let hit = memo.get(tenant);
    if (!hit) {
      hit = rules.filter((r) => r.tenants === "all" || r.tenants.includes(tenant));
      memo.set(tenant, hit);
    }
    return hit;
  };
}

function resolveTargets(
  rule: RuleDef,
  profiles: Map<string, ProfileDef>,
  systems: Map<string, KeySystemDef>,
) {
  const targets: GrantTarget[] = [];
  for (const name of rule.grants) {
    const profile = profiles.get(name);
    if (!profile) continue; // reported as an unknown profile
    for (const b of profile.bindings) {
      // Every grant of this target shares these arrays: frozen so no consumer can change another's grant.
      Object.freeze(b.vendorRefs);
      if (profile.schedule) {
        for (const w of profile.schedule.windows) Object.freeze(Object.freeze(w).days);
        Object.freeze(Object.freeze(profile.schedule).windows);
      }
      const timeZone = systems.get(b.system)?.timeZone ?? "UTC";
      targets.push({
        key: `${b.system}\u0000${name}`,
        system: b.system,
        profile,
        vendorRefs: b.vendorRefs,
        timeZone,
      });
    }
  }
  rule.targets = targets;
}

/**
 * Builds the set, or returns it with problems appended (the caller decides whether to throw).
 * `options.canSchedule` (from the driver factories) refuses scheduled profiles on systems that cannot keep
 * them; `options.scopeSchemas` checks each KeySystem's scope against its driver's declared shape.
 */
export function buildMappingSet(
  docs: ParsedDocument[],
  problems: MappingProblem[],
  checkReferences = true,
  options: MappingLoadOptions = {},
): MappingSet {
  const of = <K extends ParsedDocument["kind"]>(kind: K) =>
    docs.filter((d): d is Extract<ParsedDocument, { kind: K }> => d.kind === kind);
  const systemDocs = unique(of("KeySystem"), (d) => d.doc.id, problems);
  const profileDocs = unique(of("Profile"), (d) => d.doc.name, problems);
  const ruleDocs = unique(of("Rule"), (d) => d.doc.name, problems);

  const keySystems = systemDocs.map((d) => buildKeySystem(d, problems, options.scopeSchemas));
  const systemIds = new Set(keySystems.map((k) => k.id));
  const profiles: ProfileDef[] = profileDocs.map((d) =>
    buildProfile(d.doc, context(d, problems, checkReferences), systemIds),
  );
  const systemMap = new Map(keySystems.map((k) => [k.id, k]));
  for (const d of profileDocs)
    checkScheduleBindings(d.doc, context(d, problems), systemMap, options.canSchedule);
  const profileNames = new Set(profiles.map((p) => p.name));
  const rules = ruleDocs
    .map((d) => buildRule(d.doc, context(d, problems, checkReferences), profileNames))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const profileMap = new Map(profiles.map((p) => [p.name, p]));
  for (const rule of rules) resolveTargets(rule, profileMap, systemMap);
  return {
    keySystems: systemMap,
    profiles: profileMap,
    rules,
    fingerprint: fingerprintMappings(keySystems, profiles, rules),
    rulesForTenant: tenantIndex(rules),
  };
}

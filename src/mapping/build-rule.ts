// Turns a validated Rule document into a RuleDef: compiled condition, checked profile references,
// parsed validity limits, and the "can never match" check.
import { type CompiledCondition, compileCondition, type ConditionProblem } from "./compile-condition";
import { findNeverMatch } from "./find-never-match";
import type { RuleDoc } from "./mapping-schema";
import type { GroupReference, RuleDef, RuleValidity } from "./mapping-set";
import { formatPath } from "./parse-mapping-documents";
import { type DocContext, report } from "./build-profile";
import { closestName } from "./closest-name";

function buildValidity(doc: RuleDoc["validity"], ctx: DocContext): RuleValidity {
  const v: RuleValidity = {
    boundedByAccessValidUntil: doc?.boundedByAccessValidUntil ?? true,
    notBeforeAccessValidFrom: doc?.notBeforeAccessValidFrom ?? true,
  };
  if (doc?.maxDays !== undefined) v.maxDays = doc.maxDays;
  for (const field of ["notBefore", "notAfter"] as const) {
    const text = doc?.[field];
    if (text === undefined) continue;
    const ms = Date.parse(text);
    if (Number.isNaN(ms) || !/T.*(Z|[+-]\d{2}:\d{2})$/.test(text))
      report(
        ctx,
        ["validity", field],
        `expected an ISO 8601 instant with zone, found ${JSON.stringify(text)}`,
      );
    else v[field === "notBefore" ? "notBeforeMs" : "notAfterMs"] = ms;
  }
  if (v.notBeforeMs !== undefined && v.notAfterMs !== undefined && v.notBeforeMs >= v.notAfterMs)
    report(ctx, ["validity"], "notBefore must be before notAfter; this rule can never grant");
  return v;
}

function groupReferences(
  node: CompiledCondition,
  ctx: DocContext,
  out: GroupReference[] = [],
): GroupReference[] {
  if (node.kind === "leaf") {
    const ref = node.groupRef;
    if (ref) {
      const path = ["match", ...ref.path];
      out.push({
        by: ref.by,
        value: ref.value,
        file: ctx.file,
        line: ctx.locate(path),
        path: formatPath(ctx.label, path),
      });
    }
  } else if (node.kind === "not") groupReferences(node.child, ctx, out);
  else for (const c of node.children) groupReferences(c, ctx, out);
  return out;
}

function countLeaves(node: CompiledCondition): number {
  if (node.kind === "leaf") return 1;
  if (node.kind === "not") return countLeaves(node.child);
  return node.children.reduce((n, c) => n + countLeaves(c), 0);
}

export function buildRule(doc: RuleDoc, ctx: DocContext, profiles: ReadonlySet<string>): RuleDef {
  const conditionProblems: ConditionProblem[] = [];
  const condition = compileCondition(doc.match, conditionProblems);
  if (conditionProblems.length === 0) {
    const never = findNeverMatch(condition);
    if (never) conditionProblems.push(never);
  }
  for (const p of conditionProblems) report(ctx, ["match", ...p.path], p.message);
  if (Array.isArray(doc.tenants) && doc.tenants.length === 0)
    report(ctx, ["tenants"], "an empty tenant list can never match; use `all` or name tenants");
  const seen = new Set<string>();
  for (const [i, profile] of doc.grants.entries()) {
    if (seen.has(profile)) report(ctx, ["grants", i], `profile "${profile}" is granted twice`);
    seen.add(profile);
    if (profiles.has(profile) || !ctx.checkReferences) continue;
    const hint = closestName(profile, profiles);
    report(ctx, ["grants", i], `unknown profile "${profile}"${hint ? ` (did you mean "${hint}"?)` : ""}`);
  }
  const rule: RuleDef = {
    name: doc.name,
    tenants: doc.tenants,
    match: doc.match,
    condition,
    grants: [...doc.grants],
    validity: buildValidity(doc.validity, ctx),
    groupReferences: groupReferences(condition, ctx),
    leafCount: countLeaves(condition),
    targets: [],
    source: { file: ctx.file, line: ctx.line },
  };
  if (doc.description !== undefined) rule.description = doc.description;
  return rule;
}

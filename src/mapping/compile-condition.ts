// Turns a validated condition tree into closures evaluated per person (no tree walking per rule), and
// reports structural problems (several keys in one condition, empty all/any, unsafe group selectors).
import type { ConditionInput, GroupSelector, ValueMatcher } from "./mapping-schema";
import { MULTI_GETTERS, type PersonFacts, SCALAR_GETTERS } from "./person-facts";

export type ConditionTest = (facts: PersonFacts) => boolean;

export interface LeafCondition {
  kind: "leaf";
  attribute: string;
  /** Human-readable test, e.g. `department in ["Grid", "Operations"]`. */
  description: string;
  /** Canonical identity of the test, for contradiction checks. */
  key: string;
  /** Allowed values (lower-cased) of a single-valued attribute, or a presence requirement. */
  constraint?: { allowed?: Set<string>; present?: boolean };
  /** For group tests: what the rule refers to, so references can be checked against the directory. */
  groupRef?: { by: "id" | "externalId" | "displayName"; value: string; path: ConditionProblem["path"] };
  test: ConditionTest;
  seen(facts: PersonFacts): string[];
}

export type CompiledCondition =
  | { kind: "all" | "any"; children: CompiledCondition[]; test: ConditionTest }
  | { kind: "not"; child: CompiledCondition; test: ConditionTest }
  | LeafCondition;

export interface ConditionProblem {
  /** Path below `match`, e.g. ["all", 1, "group"]. */
  path: Array<string | number>;
  message: string;
}

const ALWAYS_FALSE: ConditionTest = () => false;

function norm(v: unknown): string {
  return String(v).toLowerCase();
}

function quoteList(values: Array<string | number | boolean>): string {
  return values.map((v) => JSON.stringify(v)).join(", ");
}

function compileScalar(attribute: string, matcher: ValueMatcher): LeafCondition {
  const get = SCALAR_GETTERS[attribute]!;
  const seen = (f: PersonFacts): string[] => {
    const v = get(f.user);
    return v === undefined || v === null || v === "" ? [] : [String(v)];
  };
  if (typeof matcher === "object" && "present" in matcher) {
    const want = matcher.present;
    const test: ConditionTest = (f) => {
      const v = get(f.user);
      return (v !== undefined && v !== null && v !== "") === want;
    };
    const description = `${attribute} ${want ? "present" : "absent"}`;
    return {
      kind: "leaf",
      attribute,
      description,
      key: description,
      constraint: { present: want },
      test,
      seen,
    };
  }
  const values = typeof matcher === "object" ? matcher.in : [matcher];
  const allowed = new Set(values.map(norm));
  const test: ConditionTest = (f) => {
    const v = get(f.user);
    return v !== undefined && v !== null && allowed.has(norm(v));
  };
  const description =
    values.length === 1 ? `${attribute} = ${quoteList(values)}` : `${attribute} in [${quoteList(values)}]`;
  const key = `${attribute} in ${[...allowed].sort().join("|")}`;
  return { kind: "leaf", attribute, description, key, constraint: { allowed }, test, seen };
}

function compileMulti(attribute: string, matcher: ValueMatcher): LeafCondition {
  const get = MULTI_GETTERS[attribute]!;
  const seen = (f: PersonFacts) => get(f.user);
  if (typeof matcher === "object" && "present" in matcher) {
    const want = matcher.present;
    const description = `${attribute} ${want ? "present" : "absent"}`;
    return {
      kind: "leaf",
      attribute,
      description,
      key: description,
      test: (f) => get(f.user).length > 0 === want,
      seen,
    };
  }
  const values = typeof matcher === "object" ? matcher.in : [matcher];
  const allowed = new Set(values.map(norm));
  const test: ConditionTest = (f) => get(f.user).some((v) => allowed.has(v.toLowerCase()));
  const description =
    values.length === 1
      ? `has ${attribute} ${quoteList(values)}`
      : `has ${attribute} in [${quoteList(values)}]`;
  return {
    kind: "leaf",
    attribute,
    description,
    key: `${attribute} has ${[...allowed].sort().join("|")}`,
    test,
    seen,
  };
}

function describeGroup(g: { id: string; externalId?: string; displayName: string }): string {
  return `${g.displayName} (${g.externalId ?? g.id})`;
}

function compileGroup(sel: GroupSelector, path: ConditionProblem["path"], problems: ConditionProblem[]) {
  const chosen = (["id", "externalId", "displayName"] as const).filter((k) => sel[k] !== undefined);
  if (chosen.length !== 1)
    problems.push({ path, message: "a group condition names exactly one of id, externalId, displayName" });
  if (sel.displayName !== undefined && sel.byDisplayName !== true)
    problems.push({
      path,
      message:
        "matching a group by displayName needs `byDisplayName: true` (a rename silently changes access)",
    });
  if (sel.byDisplayName === true && sel.displayName === undefined)
    problems.push({ path, message: "`byDisplayName: true` needs a displayName" });
  const seen = (f: PersonFacts) => f.groups.map(describeGroup);
  let test: ConditionTest = ALWAYS_FALSE;
  let description = "group (invalid)";
  let groupRef: LeafCondition["groupRef"];
  if (sel.id !== undefined) {
    groupRef = { by: "id", value: sel.id, path };
    const id = sel.id;
    test = (f) => f.hasGroupId(id);
    description = `member of group id ${JSON.stringify(id)}`;
  } else if (sel.externalId !== undefined) {
    const ext = sel.externalId;
    groupRef = { by: "externalId", value: ext, path };
    test = (f) => f.hasGroupExternalId(ext);
    description = `member of group externalId ${JSON.stringify(ext)}`;
  } else if (sel.displayName !== undefined) {
    const dn = sel.displayName.toLowerCase();
    groupRef = { by: "displayName", value: sel.displayName, path };
    test = (f) => f.hasGroupName(dn);
    description = `member of group displayName ${JSON.stringify(sel.displayName)}`;
  }
  const leaf: LeafCondition = { kind: "leaf", attribute: "group", description, key: description, test, seen };
  if (groupRef) leaf.groupRef = groupRef;
  return leaf;
}

function compileList(
  kind: "all" | "any",
  items: ConditionInput[],
  path: ConditionProblem["path"],
  problems: ConditionProblem[],
): CompiledCondition {
  if (items.length === 0)
    problems.push({
      path,
      message:
        kind === "any"
          ? "an empty `any` can never match"
          : "an empty `all` matches everyone; name a condition",
    });
  const children = items.map((c, i) => compileNode(c, [...path, kind, i], problems));
  const tests = children.map((c) => c.test);
  const test: ConditionTest =
    kind === "all"
      ? (f) => {
          for (const t of tests) if (!t(f)) return false;
          return true;
        }
      : (f) => {
          for (const t of tests) if (t(f)) return true;
          return false;
        };
  return { kind, children, test };
}

function compileNode(
  input: ConditionInput,
  path: ConditionProblem["path"],
  problems: ConditionProblem[],
): CompiledCondition {
  const keys = Object.keys(input).filter((k) => input[k as keyof ConditionInput] !== undefined);
  if (keys.length !== 1) {
    const message =
      keys.length === 0
        ? "a condition needs one key: all, any, not, group or an attribute"
        : `a condition has exactly one key, found ${keys.join(", ")}; combine them with all/any`;
    problems.push({ path, message });
    return { kind: "all", children: [], test: ALWAYS_FALSE };
  }
  const key = keys[0]!;
  if (key === "all" || key === "any") return compileList(key, input[key]!, path, problems);
  if (key === "not") {
    const child = compileNode(input.not!, [...path, "not"], problems);
    return { kind: "not", child, test: (f) => !child.test(f) };
  }
  if (key === "group") return compileGroup(input.group!, [...path, "group"], problems);
  const matcher = input[key as keyof ConditionInput] as ValueMatcher;
  if (key in MULTI_GETTERS) return compileMulti(key, matcher);
  return compileScalar(key, matcher);
}

/** Compiles a rule's `match`; problems are collected, never thrown. */
export function compileCondition(input: ConditionInput, problems: ConditionProblem[]): CompiledCondition {
  return compileNode(input, [], problems);
}

// Turns a parsed filter tree into disjunctive normal form in SCIMMY's output shape (one object of
// attribute comparisons per OR-branch), so the consumers written against SCIMMY's parser keep working.
// `not` is pushed down by De Morgan's laws (SCIMMY 1.3.5 gets `not (a or b)` wrong: it keeps the `or`);
// the expansion is capped, because `(a or b) and (c or d) and …` doubles with every group.
import type { AttributePath } from "./attribute-catalog";
import type { CompareOp, FilterNode } from "./filter-parser";
import { invalidFilter } from "./filter-parser";

/** SCIMMY's filter output: disjunctive normal form, one object of attribute comparisons per branch. */
export type ParsedFilter = Record<string, unknown>[];

interface Literal {
  path: AttributePath;
  op: CompareOp;
  value?: string | number | boolean | null;
  negated: boolean;
}

type Dnf = Literal[][];

function tooMany(maxBranches: number): never {
  throw invalidFilter(`Filter expands to more than ${maxBranches} alternatives; simplify it.`);
}

function toDnf(node: FilterNode, negated: boolean, maxBranches: number): Dnf {
  if (node.kind === "compare") {
    const literal: Literal = { path: node.path, op: node.op, negated };
    if (node.op !== "pr") literal.value = node.value ?? null;
    return [[literal]];
  }
  if (node.kind === "not") return toDnf(node.node, !negated, maxBranches);
  const left = toDnf(node.left, negated, maxBranches);
  const right = toDnf(node.right, negated, maxBranches);
  // not (a and b) = not a or not b; not (a or b) = not a and not b.
  const conjunction = (node.kind === "and") !== negated;
  if (!conjunction) {
    if (left.length + right.length > maxBranches) tooMany(maxBranches);
    return [...left, ...right];
  }
  if (left.length * right.length > maxBranches) tooMany(maxBranches);
  return left.flatMap((l) => right.map((r) => [...l, ...r]));
}

function comparison(literal: Literal): unknown[] {
  const base = literal.op === "pr" ? ["pr"] : [literal.op, literal.value];
  return literal.negated ? ["not", ...base] : base;
}

const isComparison = (v: unknown) => Array.isArray(v) && typeof v[0] === "string";

/** Adds a comparison at `keys` in the branch: one comparison, or a list when an attribute repeats. */
function place(branch: Record<string, unknown>, keys: string[], value: unknown[]): void {
  let holder = branch;
  for (const key of keys.slice(0, -1)) {
    const next = holder[key] ?? {};
    if (Array.isArray(next))
      throw invalidFilter("Filter compares an attribute both as a whole and by sub-attribute.");
    holder[key] = next;
    holder = next as Record<string, unknown>;
  }
  const leaf = keys[keys.length - 1] as string;
  const existing = holder[leaf];
  if (existing === undefined) holder[leaf] = value;
  else if (isComparison(existing)) holder[leaf] = [existing, value];
  else if (Array.isArray(existing)) existing.push(value);
  else throw invalidFilter("Filter compares an attribute both as a whole and by sub-attribute.");
}

function keysOf(path: AttributePath): string[] {
  const head = path.urn ? `${path.urn}:${path.attribute}` : path.attribute;
  return path.sub ? [head, path.sub] : [head];
}

/** The tree as SCIMMY-shaped DNF with at most `maxBranches` branches. */
export function filterToDnf(tree: FilterNode, maxBranches: number): ParsedFilter {
  return toDnf(tree, false, maxBranches).map((literals) => {
    const branch: Record<string, unknown> = {};
    for (const literal of literals) place(branch, keysOf(literal.path), comparison(literal));
    return branch;
  });
}

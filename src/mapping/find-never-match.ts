// Detects rules that can never match (contradictory `all`, `any` of impossible branches, `active: false`),
// so a typo that silently drops a site's access fails the check instead.
import type { CompiledCondition, ConditionProblem, LeafCondition } from "./compile-condition";

type Path = ConditionProblem["path"];

interface AttributeFacts {
  allowed?: Set<string>;
  excluded: Set<string>;
  present?: boolean;
}

function intersect(a: Set<string> | undefined, b: Set<string>): Set<string> {
  if (!a) return new Set(b);
  return new Set([...a].filter((v) => b.has(v)));
}

/** Checks the direct children of one `all` for conditions on the same attribute that exclude each other. */
function contradiction(children: CompiledCondition[]): string | null {
  const facts = new Map<string, AttributeFacts>();
  const positive = new Set<string>();
  const negative = new Set<string>();
  const at = (attr: string) => {
    let f = facts.get(attr);
    if (!f) {
      f = { excluded: new Set() };
      facts.set(attr, f);
    }
    return f;
  };
  for (const child of children) {
    const negated = child.kind === "not" && child.child.kind === "leaf";
    const leaf = (negated && child.kind === "not" ? child.child : child) as LeafCondition;
    if (leaf.kind !== "leaf") continue;
    (negated ? negative : positive).add(leaf.key);
    const c = leaf.constraint;
    if (!c) continue;
    const f = at(leaf.attribute);
    if (c.present !== undefined) {
      const want = negated ? !c.present : c.present;
      if (f.present !== undefined && f.present !== want)
        return `${leaf.attribute} must be both present and absent`;
      f.present = want;
    }
    if (c.allowed) {
      if (negated) for (const v of c.allowed) f.excluded.add(v);
      else f.allowed = intersect(f.allowed, c.allowed);
    }
  }
  for (const key of positive) if (negative.has(key)) return `requires both "${key}" and its negation`;
  for (const [attr, f] of facts) {
    if (!f.allowed) continue;
    const left = [...f.allowed].filter((v) => !f.excluded.has(v));
    if (left.length === 0) return `no value of ${attr} satisfies every condition on it`;
    if (f.present === false) return `${attr} must be absent and have a value`;
  }
  return null;
}

function isInactiveOnly(node: CompiledCondition): boolean {
  return (
    node.kind === "leaf" && node.attribute === "active" && node.constraint?.allowed?.has("true") === false
  );
}

/** Returns why the condition can never grant anything, or null. Paths are relative to `match`. */
export function findNeverMatch(node: CompiledCondition, path: Path = []): ConditionProblem | null {
  if (isInactiveOnly(node))
    return {
      path,
      message: "matches only inactive persons, who never get access; this rule can never grant",
    };
  if (node.kind === "all") {
    for (const [i, child] of node.children.entries()) {
      const inner = findNeverMatch(child, [...path, "all", i]);
      if (inner) return inner;
    }
    const why = contradiction(node.children);
    return why ? { path, message: `this rule can never match: ${why}` } : null;
  }
  if (node.kind === "any") {
    if (node.children.length === 0) return null; // reported by compileCondition
    const all = node.children.map((c, i) => findNeverMatch(c, [...path, "any", i]));
    if (all.every((p) => p !== null))
      return { path, message: "this rule can never match: no branch of `any` can" };
    return null;
  }
  return null;
}

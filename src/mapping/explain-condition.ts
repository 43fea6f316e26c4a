// Why a condition did or did not hold for one person: the satisfied tests (evidence) of a match, and the
// fewest failed tests standing between a non-matching rule and a match (a "near miss" when that is one).
import type { CompiledCondition, LeafCondition } from "./compile-condition";
import type { PersonFacts } from "./person-facts";

export interface ConditionEvidence {
  /** e.g. `department in ["Grid"]`, or `not member of group externalId "x"`. */
  condition: string;
  /** The person's values of that attribute (group: "displayName (externalId)"). */
  seen: string[];
}

function leafEvidence(leaf: LeafCondition, negated: boolean, facts: PersonFacts): ConditionEvidence {
  const seen = leaf.seen(facts);
  return { condition: negated ? `not ${leaf.description}` : leaf.description, seen: seen.slice(0, 20) };
}

/** The fewest leaf tests that must flip for `node` to evaluate to `want`, and which ones. */
export function failuresFor(
  node: CompiledCondition,
  facts: PersonFacts,
  want: boolean,
): { cost: number; failed: ConditionEvidence[] } {
  if (node.kind === "leaf")
    return node.test(facts) === want
      ? { cost: 0, failed: [] }
      : { cost: 1, failed: [leafEvidence(node, !want, facts)] };
  if (node.kind === "not") return failuresFor(node.child, facts, !want);
  const parts = node.children.map((c) => failuresFor(c, facts, want));
  // all→true and any→false need every child; all→false and any→true need only the cheapest one.
  const needsEvery = (node.kind === "all") === want;
  if (needsEvery)
    return { cost: parts.reduce((n, p) => n + p.cost, 0), failed: parts.flatMap((p) => p.failed) };
  let best = parts[0] ?? { cost: Number.POSITIVE_INFINITY, failed: [] };
  for (const p of parts) if (p.cost < best.cost) best = p;
  return best;
}

/** The tests that made `node` evaluate to `want` (call only when it did). */
export function evidenceFor(node: CompiledCondition, facts: PersonFacts, want = true): ConditionEvidence[] {
  if (node.kind === "leaf") return node.test(facts) === want ? [leafEvidence(node, !want, facts)] : [];
  if (node.kind === "not") return evidenceFor(node.child, facts, !want);
  const needsEvery = (node.kind === "all") === want;
  if (needsEvery) return node.children.flatMap((c) => evidenceFor(c, facts, want));
  const decisive = node.children.find((c) => c.test(facts) === want);
  return decisive ? evidenceFor(decisive, facts, want) : [];
}

// Per termination, the clock from the termination action to the last revocation effective (pure):
// the figure NERC CIP-004-7 R5.1 asks for (unescorted physical access removed within 24 hours).
import type { AccessChange, EvidenceFacts, TerminationAction, TerminationKind } from "./evidence-facts";

export const DAY_MS = 24 * 3_600_000;

export type TerminationOutcome =
  | "effective" // every revocation it caused is effective
  | "open" // a revocation is not effective at the end of the window, and 24 hours have passed
  | "not_yet_due" // a revocation is not effective yet, but 24 hours have not passed by the window's end
  | "no_access"; // the person held nothing to revoke

export interface TerminationClock {
  personId: string;
  /** The first termination action (the clock starts here) and every action that followed it. */
  startedAt: string;
  kinds: TerminationKind[];
  actions: TerminationAction[];
  /** The revocations this termination caused (requested after it began, before new access). */
  revocations: AccessChange[];
  outcome: TerminationOutcome;
  /** Start → last revocation effective; for an open one, start → end of the window. */
  clockMs?: number;
  within24h?: boolean;
  /** Latest exposureUntil a pending revocation of it reported (offline keys). */
  worstExposureUntil?: string;
}

const ms = (iso: string) => Date.parse(iso);

/** Items grouped by person, so per-termination lookups stay linear in that person's records. */
function byPerson<T extends { personId: string }>(items: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(item.personId);
    if (list) list.push(item);
    else out.set(item.personId, [item]);
  }
  return out;
}

interface Episode {
  actions: TerminationAction[];
  /** When the person was next activated (created or activated again): the episode ends there. */
  end: number;
}

/** Groups a person's termination actions: a new clock starts only after they became active again. */
function episodes(facts: EvidenceFacts): Episode[] {
  const activations = byPerson(facts.activations);
  const out: Episode[] = [];
  const current = new Map<string, Episode>();
  for (const action of facts.terminations) {
    const open = current.get(action.personId);
    if (open && ms(action.at) < open.end) {
      open.actions.push(action);
      continue;
    }
    const later = (activations.get(action.personId) ?? [])
      .map((a) => ms(a.at))
      .filter((t) => t > ms(action.at));
    const episode = {
      actions: [action],
      end: later.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY),
    };
    current.set(action.personId, episode);
    out.push(episode);
  }
  return out;
}

function clockOf(
  personId: string,
  actions: TerminationAction[],
  revocations: AccessChange[],
  until: string,
): TerminationClock {
  const startedAt = actions[0]!.at;
  const start = ms(startedAt);
  const clock: TerminationClock = {
    personId,
    startedAt,
    kinds: [...new Set(actions.map((a) => a.kind))],
    actions,
    revocations,
    outcome: "no_access",
  };
  const exposures = revocations.flatMap((r) => (r.exposureUntil ? [r.exposureUntil] : []));
  if (exposures.length > 0) clock.worstExposureUntil = exposures.sort().at(-1);
  if (revocations.length === 0) return clock;
  const allEffective = revocations.every((r) => r.effectiveAt !== undefined);
  if (allEffective) {
    const last = Math.max(...revocations.map((r) => ms(r.effectiveAt!)));
    clock.clockMs = Math.max(0, last - start);
    clock.outcome = "effective";
  } else {
    clock.clockMs = Math.max(0, ms(until) - start);
    clock.outcome = clock.clockMs > DAY_MS ? "open" : "not_yet_due";
  }
  if (clock.outcome !== "not_yet_due") clock.within24h = clock.clockMs <= DAY_MS;
  return clock;
}

/** One clock per termination episode in the window, with the revocations requested in it. */
export function terminationClocks(facts: EvidenceFacts, until: string): TerminationClock[] {
  const changes = byPerson(facts.changes);
  return episodes(facts).map(({ actions, end: reactivatedAt }) => {
    const personId = actions[0]!.personId;
    const start = ms(actions[0]!.at);
    const mine = changes.get(personId) ?? [];
    // New access given after the termination (a person kept active past an end date, then granted
    // again) ends it: later revocations are changes of role, not this termination's.
    const end = mine
      .filter((c) => c.action === "grant" && ms(c.requestedAt) > start)
      .reduce((a, c) => Math.min(a, ms(c.requestedAt)), reactivatedAt);
    const revocations = mine.filter(
      (c) => c.action === "revoke" && ms(c.requestedAt) >= start && ms(c.requestedAt) < end,
    );
    return clockOf(personId, actions, revocations, until);
  });
}

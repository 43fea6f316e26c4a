// Pure translation of the simulated vendor's records into contract terms (CredentialState, Effect).
import { scheduleKey } from "../../src/drivers/weekly-schedule";
import type { CredentialState, Effect, GrantSpec } from "../../src/drivers/key-system-driver";
import type { SimCredential, SimGrant } from "./memory-state";

const toGrant = ({ bridge: _bridge, ...g }: SimGrant): GrantSpec => g;

/** Bridge-made grants only: foreign grants are reported apart (Observation.foreignGrants). */
export function bridgeGrants(grants: SimGrant[]): GrantSpec[] {
  return grants.filter((g) => g.bridge).map(toGrant);
}

export function foreignGrants(grants: SimGrant[]): GrantSpec[] {
  return grants.filter((g) => !g.bridge).map(toGrant);
}

export function credentialEffect(c: SimCredential): Effect {
  if (c.status === "lost" || c.status === "blocked") {
    return c.propagationDueAt !== undefined ? "pending_propagation" : "effective";
  }
  return c.programmingDueAt !== undefined ? "pending_programming" : "effective";
}

export function toCredentialState(c: SimCredential): CredentialState {
  const effect = credentialEffect(c);
  const exposureUntil =
    effect === "pending_propagation"
      ? c.propagationDueAt
      : effect === "pending_programming"
        ? c.programmingDueAt
        : undefined;
  return {
    credentialId: c.credentialId,
    kind: c.kind,
    status: c.status,
    plannedGrants: bridgeGrants(c.planned),
    programmedGrants: bridgeGrants(c.programmed),
    effect,
    ...(exposureUntil !== undefined ? { exposureUntil } : {}),
  };
}

const grantKey = (g: GrantSpec) =>
  [g.vendorRef, g.notBefore ?? "", g.notAfter ?? "", scheduleKey(g.schedule)].join("|");

/** Declarative comparison: order does not matter, validity windows and weekly schedules do. */
export function sameGrants(a: GrantSpec[], b: GrantSpec[]): boolean {
  const ka = a.map(grantKey).sort();
  const kb = b.map(grantKey).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}

const SEVERITY: Effect[] = [
  "effective",
  "applied",
  "pending_programming",
  "pending_propagation",
  "manual_action_required",
];

/** The effect that still needs the most to happen, for a result spanning several credentials. */
export function worstEffect(effects: Effect[]): Effect {
  return effects.reduce<Effect>((w, e) => (SEVERITY.indexOf(e) > SEVERITY.indexOf(w) ? e : w), "effective");
}

/** The latest exposure among several results (ISO strings compare in time order). */
export function latestExposure(values: Array<string | undefined>): string | undefined {
  return values
    .filter((v): v is string => v !== undefined)
    .sort()
    .at(-1);
}

export const isActiveCredential = (c: SimCredential) =>
  c.status !== "returned" && c.status !== "lost" && c.status !== "blocked";

export interface CredentialOutcome {
  credentialId: string;
  effect: Effect;
  exposure?: string;
}

/** One ChangeResult for a change that touched several credentials. */
export function summariseOutcomes(results: CredentialOutcome[]) {
  const exposureUntil = latestExposure(results.map((r) => r.exposure));
  return {
    effect: worstEffect(results.map((r) => r.effect)),
    ...(exposureUntil !== undefined ? { exposureUntil } : {}),
    manualTasks: [],
    credentials: results.map(({ credentialId, effect }) => ({ credentialId, effect })),
  };
}

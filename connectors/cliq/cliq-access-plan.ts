// Pure decisions of the CLIQ driver: desired bridge grants → the access a key should carry, and the key's
// state in bridge terms (key-systems.md §1.2 key kinds and validity, §1.3 when changes take effect).
import type { CredentialState, Effect, GrantSpec, HolderSpec } from "../../src/drivers/key-system-driver";
import { isBridgeSchedule, toWeeklySchedule } from "./cliq-schedule";
import type { CliqAccess, CliqKey, CliqSchedule, CliqValidity } from "./cwm-records";

/** Schedule templates by id, as read from CWM for one operation. */
export type ScheduleBook = ReadonlyMap<string, CliqSchedule>;
const NO_SCHEDULES: ScheduleBook = new Map();

const DAY_MS = 86_400_000;

/** Direct cylinder authorisations are never made by the bridge; they are reported with this prefix. */
export const CYLINDER_REF_PREFIX = "cylinder:";

export type IsManaged = (profileId: string) => boolean;

const SEVERITY: Effect[] = [
  "effective",
  "applied",
  "pending_programming",
  "pending_propagation",
  "manual_action_required",
];

/** The effect that still needs the most (several keys, several steps → the least finished one). */
export function worstEffect(effects: Effect[], none: Effect = "effective"): Effect {
  return effects.reduce((a, b) => (SEVERITY.indexOf(b) > SEVERITY.indexOf(a) ? b : a), none);
}

/**
 * CLIQ validity is one window per key (§1.2), not per profile: the key gets the envelope of the desired
 * grants' windows; any grant without a bound leaves that side open.
 */
export function envelopeValidity(desired: GrantSpec[]): CliqValidity {
  const froms = desired.map((g) => g.notBefore);
  const tos = desired.map((g) => g.notAfter);
  const from = froms.every((f) => f !== undefined) ? [...(froms as string[])].sort()[0] : undefined;
  const to = tos.every((t) => t !== undefined) ? [...(tos as string[])].sort().at(-1) : undefined;
  return from || to
    ? { mode: "between", ...(from ? { from } : {}), ...(to ? { to } : {}) }
    : { mode: "always" };
}

/**
 * The access a key should carry: its foreign profiles and cylinder authorisations kept as they are, the
 * bridge-managed profiles replaced by `desired`, the schedule template `scheduleId` (resolved by the
 * caller). An empty desired set leaves validity and schedule alone.
 */
export function planAccess(
  current: CliqAccess,
  desired: GrantSpec[],
  isManaged: IsManaged,
  scheduleId: string | null = current.scheduleId,
): CliqAccess {
  const foreign = current.profileIds.filter((p) => !isManaged(p));
  const wanted = desired.map((g) => g.vendorRef);
  return {
    profileIds: [...new Set([...foreign, ...wanted])],
    cylinderIds: [...current.cylinderIds],
    validity: desired.length === 0 ? { ...current.validity } : envelopeValidity(desired),
    scheduleId: desired.length === 0 ? current.scheduleId : scheduleId,
  };
}

function sameSet(a: string[], b: string[]): boolean {
  const sa = new Set(a);
  return sa.size === new Set(b).size && b.every((x) => sa.has(x));
}

export function sameAccess(a: CliqAccess, b: CliqAccess): boolean {
  return (
    sameSet(a.profileIds, b.profileIds) &&
    sameSet(a.cylinderIds, b.cylinderIds) &&
    a.validity.mode === b.validity.mode &&
    a.validity.from === b.validity.from &&
    a.validity.to === b.validity.to &&
    a.scheduleId === b.scheduleId
  );
}

/**
 * Bridge-made grants of an access set, each with the key's validity window and, when the key carries a
 * template the bridge made, its weekly schedule (an administrator's template is theirs, not reported).
 */
export function grantsOf(
  a: CliqAccess | null,
  isManaged: IsManaged,
  schedules: ScheduleBook = NO_SCHEDULES,
): GrantSpec[] {
  if (!a) return [];
  const template = a.scheduleId ? schedules.get(a.scheduleId) : undefined;
  const schedule = template && isBridgeSchedule(template) ? toWeeklySchedule(template) : undefined;
  return a.profileIds.filter(isManaged).map((vendorRef) => ({
    vendorRef,
    ...(a.validity.from ? { notBefore: a.validity.from } : {}),
    ...(a.validity.to ? { notAfter: a.validity.to } : {}),
    ...(schedule ? { schedule } : {}),
  }));
}

export function foreignGrantsOf(a: CliqAccess, isManaged: IsManaged): GrantSpec[] {
  return [
    ...a.profileIds.filter((p) => !isManaged(p)).map((vendorRef) => ({ vendorRef })),
    ...a.cylinderIds.map((c) => ({ vendorRef: CYLINDER_REF_PREFIX + c })),
  ];
}

/**
 * Latest time the key may still open a door with what it carries physically: min(validity end, last
 * validation + revalidation interval) (§1.3 "exposure is limited by key validity and revalidation
 * expiry"). Undefined when nothing bounds it.
 */
export function exposureBound(key: CliqKey, now: Date): string | undefined {
  const access = key.programmed;
  if (!access || access.validity.mode === "never") return now.toISOString();
  const bounds: number[] = [];
  if (access.validity.mode === "between" && access.validity.to) bounds.push(Date.parse(access.validity.to));
  const r = key.revalidation;
  if (r.enabled && r.lastValidatedAt) bounds.push(Date.parse(r.lastValidatedAt) + r.intervalDays * DAY_MS);
  if (bounds.length === 0) return undefined;
  return new Date(Math.max(Math.min(...bounds), now.getTime())).toISOString();
}

/** Access that opens nothing: validity "never" (§1.2 "Never valid"). */
export function isDisabled(access: CliqAccess | null): boolean {
  return access?.validity.mode === "never";
}

/** Offboarding access: the bridge's profiles gone, validity "never"; foreign entries kept (not ours). */
export function disabledAccess(current: CliqAccess, isManaged: IsManaged): CliqAccess {
  return {
    profileIds: current.profileIds.filter((p) => !isManaged(p)),
    cylinderIds: [...current.cylinderIds],
    validity: { mode: "never" },
    scheduleId: current.scheduleId,
  };
}

/**
 * A key in bridge terms. `pendingCylinderJobs` is only known (and only needed) for lost/broken keys:
 * their block is effective once every cylinder they could open has been programmed.
 */
export function credentialStateOf(
  key: CliqKey,
  isManaged: IsManaged,
  now: Date,
  pendingCylinderJobs = 0,
  schedules: ScheduleBook = NO_SCHEDULES,
): CredentialState {
  const base = {
    credentialId: key.id,
    kind: "physical" as const,
    plannedGrants: grantsOf(key.planned, isManaged, schedules),
    programmedGrants: grantsOf(key.programmed, isManaged, schedules),
  };
  if (key.status === "lost" || key.status === "broken") {
    return pendingCylinderJobs > 0
      ? { ...base, status: "lost", effect: "pending_propagation", exposureUntil: exposureBound(key, now) }
      : { ...base, status: "blocked", effect: "effective" };
  }
  if (key.status !== "handed_out") return { ...base, status: "returned", effect: "effective" };
  // Reprogrammed to validity "never" (offboarding): the key opens nothing, though it is not back yet.
  if (!key.updatePending && isDisabled(key.programmed))
    return { ...base, status: "disabled", effect: "effective" };
  if (!key.updatePending) return { ...base, status: "programmed", effect: "effective" };
  return {
    ...base,
    status: key.programmed ? "programming" : "ordered",
    effect: "pending_programming",
    exposureUntil: exposureBound(key, now),
  };
}

/**
 * CWM names a person by first and last name only (§1.2). The IdP's displayName is what people see, so
 * "first last" as CWM shows it always equals displayName: the given name is used when displayName starts
 * with it (and the family name when it is exactly the rest), otherwise displayName is split at its first space.
 */
export function cwmName(spec: Pick<HolderSpec, "displayName" | "firstName" | "lastName">): {
  firstName: string;
  lastName: string;
} {
  const display = spec.displayName.trim().replace(/\s+/g, " ");
  const given = spec.firstName?.trim();
  if (given && display.startsWith(`${given} `)) {
    return { firstName: given, lastName: display.slice(given.length + 1) };
  }
  const space = display.indexOf(" ");
  if (space < 0) return { firstName: given || display, lastName: spec.lastName?.trim() || display };
  return { firstName: display.slice(0, space), lastName: display.slice(space + 1) };
}

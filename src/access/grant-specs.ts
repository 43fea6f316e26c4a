// Turns desired grants into the exact GrantSpec list a driver receives, and compares grant sets.
import type { GrantSpec, Observation } from "../drivers/key-system-driver";
import {
  intersectSchedules,
  narrowsSchedule,
  normaliseSchedule,
  scheduleKey,
  unionSchedules,
} from "../drivers/weekly-schedule";
import type { DesiredGrant } from "./desired-grant";

/** Credential statuses that can no longer open a door once their revocation is effective. */
export const DEAD_CREDENTIAL_STATUSES = new Set(["returned", "disabled", "blocked", "lost"]);

const earliest = (a?: string, b?: string) => (a === undefined || b === undefined ? undefined : a < b ? a : b);
const latest = (a?: string, b?: string) => (a === undefined || b === undefined ? undefined : a > b ? a : b);

/** Whether a desired grant is in force at `now` (not yet expired, and started). */
export function isExpired(grant: { notAfter?: string }, now: Date): boolean {
  return grant.notAfter !== undefined && Date.parse(grant.notAfter) <= now.getTime();
}

export function isFuture(grant: { notBefore?: string }, now: Date): boolean {
  return grant.notBefore !== undefined && Date.parse(grant.notBefore) > now.getTime();
}

/**
 * The GrantSpecs to write now. Expired grants are left out. Grants that start in the future are sent
 * with their notBefore only when the key system enforces validity windows itself; otherwise they wait
 * for their delayed grant job. Two profiles sharing a vendor reference merge to the wider window
 * (union of access), so one profile's end never cuts another's open-ended grant; likewise their weekly
 * schedules merge to the union of their windows, and an unscheduled profile opens around the clock.
 */
export function toGrantSpecs(
  desired: DesiredGrant[],
  now: Date,
  enforcesValidity: boolean,
  /** The key system keeps one schedule per credential (DriverCapabilities.scheduleScope). */
  keyWideSchedule = false,
): GrantSpec[] {
  const byRef = new Map<string, GrantSpec>();
  for (const grant of desired) {
    if (isExpired(grant, now)) continue;
    if (isFuture(grant, now) && !enforcesValidity) continue;
    for (const vendorRef of grant.vendorRefs) {
      const spec: GrantSpec = { vendorRef };
      if (grant.notBefore !== undefined) spec.notBefore = grant.notBefore;
      if (grant.notAfter !== undefined) spec.notAfter = grant.notAfter;
      if (grant.schedule !== undefined) spec.schedule = normaliseSchedule(grant.schedule);
      const prev = byRef.get(vendorRef);
      byRef.set(vendorRef, prev ? mergeSpecs(prev, spec) : spec);
    }
  }
  const specs = [...byRef.values()].sort((a, b) => (a.vendorRef < b.vendorRef ? -1 : 1));
  return keyWideSchedule ? withKeySchedule(specs) : specs;
}

/**
 * One schedule for every grant on a credential: the minutes all of them allow (never wider than any
 * grant declares), which is what such a key system holds and reports back, so the plan converges.
 */
function withKeySchedule(specs: GrantSpec[]): GrantSpec[] {
  const schedule = specs.reduce<GrantSpec["schedule"]>(
    (acc, s) => intersectSchedules(acc, s.schedule),
    undefined,
  );
  if (!schedule) return specs;
  return specs.map((s) => ({ ...s, schedule }));
}

function mergeSpecs(a: GrantSpec, b: GrantSpec): GrantSpec {
  const merged: GrantSpec = { vendorRef: a.vendorRef };
  const notBefore = earliest(a.notBefore, b.notBefore);
  const notAfter = latest(a.notAfter, b.notAfter);
  if (notBefore !== undefined) merged.notBefore = notBefore;
  if (notAfter !== undefined) merged.notAfter = notAfter;
  const schedule = unionSchedules(a.schedule, b.schedule);
  if (schedule !== undefined) merged.schedule = schedule;
  return merged;
}

/** Bridge-made grants the key system holds for live credentials (foreign grants are never ours). */
export function observedGrantSpecs(observation: Observation): GrantSpec[] {
  const byRef = new Map<string, GrantSpec>();
  for (const credential of observation.credentials) {
    if (DEAD_CREDENTIAL_STATUSES.has(credential.status)) continue;
    for (const spec of credential.plannedGrants) {
      const prev = byRef.get(spec.vendorRef);
      byRef.set(spec.vendorRef, prev ? mergeSpecs(prev, spec) : spec);
    }
  }
  return [...byRef.values()].sort((a, b) => (a.vendorRef < b.vendorRef ? -1 : 1));
}

const specKey = (s: GrantSpec) =>
  `${s.vendorRef}|${s.notBefore ?? ""}|${s.notAfter ?? ""}|${scheduleKey(s.schedule)}`;

export function sameGrantSets(a: GrantSpec[], b: GrantSpec[]): boolean {
  if (a.length !== b.length) return false;
  const keys = new Set(a.map(specKey));
  return b.every((s) => keys.has(specKey(s)));
}

/**
 * True when going from `held` to `wanted` takes any access away: a reference, part of a validity
 * window, or hours of a weekly schedule (a narrower schedule is a revocation and runs first).
 */
export function removesAccess(held: GrantSpec[], wanted: GrantSpec[]): boolean {
  const wantedByRef = new Map(wanted.map((s) => [s.vendorRef, s]));
  return held.some((h) => {
    const w = wantedByRef.get(h.vendorRef);
    if (!w) return true;
    const startsLater = w.notBefore !== undefined && (h.notBefore === undefined || w.notBefore > h.notBefore);
    const endsEarlier = w.notAfter !== undefined && (h.notAfter === undefined || w.notAfter < h.notAfter);
    return startsLater || endsEarlier || narrowsSchedule(h.schedule, w.schedule);
  });
}

// Translates bridge grants to an iLOQ key's rights and back (key-systems.md §2.2 "Time limits", §2.3).
// iLOQ keeps validity per key, not per right: slot 0 is the start date, slot 1 the end date, slots 2+
// are time profiles. The key therefore carries the intersection of the grants' windows, on the
// 15-minute grid of the lock group's time zone: notBefore rounds UP and notAfter rounds DOWN, so the
// key never opens earlier or later than any grant allows (it may open up to 15 minutes less).
import type { GrantSpec } from "../../src/drivers/key-system-driver";
import { ceilToGrid, floorToGrid, fromIloqLocal, toIloqLocal } from "./iloq-time";
import type { IloqSecurityAccess, IloqTimeLimitSlot } from "./iloq-wire";
import {
  freeProfileSlot,
  isBridgeProfile,
  keySchedule,
  readKeySchedule,
  scheduleSlot,
} from "./translate-schedule";

export const API_ACCESS_TYPE = 3;

/** The body of PUT Keys/{id}/SecurityAccesses the driver sends (anything omitted is deleted, §2.3). */
export interface KeyRights {
  SecurityAccessIds: string[];
  TimeLimitSlots: IloqTimeLimitSlot[];
}

export interface KeyWindow {
  start: Date | null;
  end: Date | null;
}

/** Which rights the bridge owns: API type, and inside the configured mapping refs when given. */
export type ManagedPredicate = (access: Pick<IloqSecurityAccess, "SecurityAccess_ID" | "Type">) => boolean;

export function managedPredicate(managedIds: string[] | undefined): ManagedPredicate {
  const set = managedIds ? new Set(managedIds) : null;
  return (a) => a.Type === API_ACCESS_TYPE && (!set || set.has(a.SecurityAccess_ID));
}

/** The key window for a set of grants: latest start, earliest end, rounded inward to the grid. */
export function grantWindow(desired: GrantSpec[]): KeyWindow | "empty" {
  const starts = desired
    .map((g) => g.notBefore)
    .filter((v): v is string => !!v)
    .map((v) => Date.parse(v));
  const ends = desired
    .map((g) => g.notAfter)
    .filter((v): v is string => !!v)
    .map((v) => Date.parse(v));
  const start = starts.length ? ceilToGrid(new Date(Math.max(...starts))) : null;
  const end = ends.length ? floorToGrid(new Date(Math.min(...ends))) : null;
  if (start && end && start.getTime() >= end.getTime()) return "empty";
  return { start, end };
}

const dateSlot = (SlotNo: number, at: Date, zone: string): IloqTimeLimitSlot => ({
  SlotNo,
  LimitDateLg: toIloqLocal(at, zone),
  TimeLimitTitle_ID: null,
  TimeLimitData: [],
});

/**
 * The full rights body for a key: the desired refs plus every right the bridge does not own
 * (kept untouched), the window in slots 0/1, the bridge's time profile for the grants' schedule
 * (translate-schedule.ts) in the first free slot from 2, and other time profiles (slots 2+) unchanged.
 */
export function buildKeyRights(
  desired: GrantSpec[],
  current: { accesses: IloqSecurityAccess[]; slots: IloqTimeLimitSlot[] },
  isManaged: ManagedPredicate,
  zone: string,
): { rights: KeyRights; window: KeyWindow | "empty" } {
  const window = grantWindow(desired);
  const foreign = current.accesses.filter((a) => !isManaged(a)).map((a) => a.SecurityAccess_ID);
  const wanted = window === "empty" || desired.length === 0 ? [] : desired.map((g) => g.vendorRef);
  const ids = [...new Set([...foreign, ...wanted])].sort();
  const slots = current.slots.filter((s) => s.SlotNo >= 2 && !isBridgeProfile(s, zone));
  const schedule = keySchedule(desired, zone);
  if (window !== "empty" && wanted.length) {
    if (window.start) slots.push(dateSlot(0, window.start, zone));
    if (window.end) slots.push(dateSlot(1, window.end, zone));
    if (schedule) slots.push(scheduleSlot(schedule, freeProfileSlot(slots)));
  }
  slots.sort((a, b) => a.SlotNo - b.SlotNo);
  return { rights: { SecurityAccessIds: ids, TimeLimitSlots: slots }, window };
}

/** Reads a key's window back from slots 0/1 (local time → UTC). */
export function readWindow(slots: IloqTimeLimitSlot[], zone: string): KeyWindow {
  const at = (n: number) => {
    const s = slots.find((x) => x.SlotNo === n)?.LimitDateLg;
    return s ? fromIloqLocal(s, zone) : null;
  };
  return { start: at(0), end: at(1) };
}

/** Splits a key's rights into bridge grants (with the key window and schedule) and foreign grants. */
export function readGrants(
  accesses: IloqSecurityAccess[],
  slots: IloqTimeLimitSlot[],
  isManaged: ManagedPredicate,
  zone: string,
): { grants: GrantSpec[]; foreign: GrantSpec[] } {
  const w = readWindow(slots, zone);
  const schedule = readKeySchedule(slots, zone);
  const spec = (a: IloqSecurityAccess): GrantSpec => ({
    vendorRef: a.SecurityAccess_ID,
    ...(w.start ? { notBefore: w.start.toISOString() } : {}),
    ...(w.end ? { notAfter: w.end.toISOString() } : {}),
    ...(schedule ? { schedule } : {}),
  });
  return {
    grants: accesses.filter(isManaged).map(spec),
    foreign: accesses.filter((a) => !isManaged(a)).map((a) => ({ vendorRef: a.SecurityAccess_ID })),
  };
}

/** Whether the key already holds exactly this rights body (same ids, same slots). */
export function sameRights(a: KeyRights, b: KeyRights): boolean {
  const norm = (r: KeyRights) =>
    JSON.stringify({
      ids: [...r.SecurityAccessIds].sort(),
      slots: [...r.TimeLimitSlots]
        .sort((x, y) => x.SlotNo - y.SlotNo)
        .map((s) => [
          s.SlotNo,
          s.LimitDateLg ?? null,
          s.TimeLimitTitle_ID ?? null,
          (s.TimeLimitData ?? []).map((d) => [d.WeekDayMask, d.StartTimeMS, d.EndTimeMS]),
        ]),
    });
  return norm(a) === norm(b);
}

// Translates a bridge weekly schedule to an iLOQ key time profile and back (key-systems.md §2.2 "Time
// limits": slot 2+ = TimeLimitTitle_ID + weekly TimeLimitData{WeekDayMask, StartTimeMS, EndTimeMS}, on
// the 15-minute grid, CanAddTimeLimit 7). Times are the lock's local time: the LockGroup's
// TimeZoneStandardName (§2.1, §6.1.11), so a schedule in another zone is refused, never shifted.
//
// iLOQ keeps time limits per key, not per right (§2.2). The key therefore carries the intersection of
// its grants' schedules (an unscheduled grant opens around the clock), like the validity window in
// translate-grants.ts: the key never opens outside any grant's hours. A person holding a 24/7 right and a
// scheduled right on one key can use both only inside the schedule.
import { DriverError } from "../../src/drivers/driver-error";
import type { GrantSpec, WeeklySchedule } from "../../src/drivers/key-system-driver";
import {
  intersectSchedules,
  normaliseSchedule,
  scheduleKey,
  WEEK_DAYS,
} from "../../src/drivers/weekly-schedule";
import type { IloqTimeLimitSlot } from "./iloq-wire";
import { nameBasedUuid } from "./name-based-uuid";

const MINUTE_MS = 60_000;
export const FIRST_PROFILE_SLOT = 2;

export const MSG_SCHEDULE_ZONE =
  "profile schedule is not in the iLOQ lock group's time zone; iLOQ time limits are lock-local (set the profile's schedule.timeZone to the key system's)";

/** WeekDayMask bit per day, Monday = bit 0 … Sunday = bit 6 [inf]: the bit order is not in the public doc. */
const dayBit = (day: WeeklySchedule["windows"][number]["days"][number]) => 1 << WEEK_DAYS.indexOf(day);

/** The key's schedule for a set of grants: the minutes every grant allows; undefined = no restriction. */
export function keySchedule(desired: GrantSpec[], zone: string): WeeklySchedule | undefined {
  const scheduled = desired.map((g) => g.schedule).filter((s): s is WeeklySchedule => s !== undefined);
  if (scheduled.length === 0) return undefined;
  if (scheduled.some((s) => s.timeZone !== zone)) {
    throw new DriverError("permanent", MSG_SCHEDULE_ZONE, { vendorSignal: "TimeZoneStandardName" });
  }
  return scheduled.reduce<WeeklySchedule | undefined>(intersectSchedules, undefined);
}

/**
 * The bridge's time profile id is derived from the schedule itself, so a slot read back proves it is
 * ours (its id matches its content) and a profile made in iLOQ Manager is never mistaken for ours.
 */
export function profileTitleId(schedule: WeeklySchedule): string {
  return nameBasedUuid(`time-profile:${scheduleKey(schedule)}`);
}

/** The slot that restricts the key to `schedule` (one TimeLimitData per window). */
export function scheduleSlot(schedule: WeeklySchedule, slotNo: number): IloqTimeLimitSlot {
  const n = normaliseSchedule(schedule);
  return {
    SlotNo: slotNo,
    LimitDateLg: null,
    TimeLimitTitle_ID: profileTitleId(n),
    TimeLimitData: n.windows.map((w) => ({
      WeekDayMask: w.days.reduce((mask, d) => mask | dayBit(d), 0),
      StartTimeMS: w.startMinute * MINUTE_MS,
      EndTimeMS: w.endMinute * MINUTE_MS,
    })),
  };
}

/** A time profile slot read back as a schedule in the lock's zone. */
export function slotSchedule(slot: IloqTimeLimitSlot, zone: string): WeeklySchedule {
  return normaliseSchedule({
    timeZone: zone,
    windows: (slot.TimeLimitData ?? []).map((d) => ({
      days: WEEK_DAYS.filter((day) => (d.WeekDayMask & dayBit(day)) !== 0),
      startMinute: Math.round(d.StartTimeMS / MINUTE_MS),
      endMinute: Math.round(d.EndTimeMS / MINUTE_MS),
    })),
  });
}

/** Whether a slot is the bridge's own time profile (id derived from its content). */
export function isBridgeProfile(slot: IloqTimeLimitSlot, zone: string): boolean {
  if (slot.SlotNo < FIRST_PROFILE_SLOT || !slot.TimeLimitTitle_ID) return false;
  return slot.TimeLimitTitle_ID === profileTitleId(slotSchedule(slot, zone));
}

/** The bridge's schedule on a key, read from its slots (undefined: no bridge time profile). */
export function readKeySchedule(slots: IloqTimeLimitSlot[], zone: string): WeeklySchedule | undefined {
  const ours = slots.find((s) => isBridgeProfile(s, zone));
  return ours ? slotSchedule(ours, zone) : undefined;
}

/** The first slot number from 2 that no other (foreign) time profile uses. */
export function freeProfileSlot(others: IloqTimeLimitSlot[]): number {
  let n = FIRST_PROFILE_SLOT;
  while (others.some((s) => s.SlotNo === n)) n++;
  return n;
}

// Pure translation between a profile's weekly schedule and a CWM schedule template (key-systems.md §1.2:
// a key carries one weekly schedule, separate from its validity; authorisation = programmed access AND
// valid AND inside schedule). Templates the bridge makes are named from their content, so a template is
// found again by name before one is created (a create that timed out never duplicates, §5 principles).
import { createHash } from "node:crypto";
import type { GrantSpec, WeeklySchedule, WeeklyWindow } from "../../src/drivers/key-system-driver";
import { DriverError } from "../../src/drivers/driver-error";
import type { CliqSchedule, CliqScheduleInterval } from "./cwm-records";

const DAYS: WeeklyWindow["days"] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/** Names of bridge-made templates start with this; other templates are an administrator's (foreign). */
export const SCHEDULE_NAME_PREFIX = "keybridge ";

function clock(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}

function minuteOf(hhmm: string): number {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** One interval per weekday and window, sorted: the canonical form both sides are compared in. */
export function toIntervals(schedule: WeeklySchedule): CliqScheduleInterval[] {
  const out = schedule.windows.flatMap((w) =>
    w.days.map((d) => ({
      weekday: DAYS.indexOf(d) + 1,
      start: clock(w.startMinute),
      end: clock(w.endMinute),
    })),
  );
  const key = (i: CliqScheduleInterval) => `${i.weekday}|${i.start}|${i.end}`;
  return [...new Map(out.map((i) => [key(i), i])).values()].sort((a, b) => (key(a) < key(b) ? -1 : 1));
}

/** A template back as a weekly schedule: windows with equal hours grouped, in weekday order. */
export function toWeeklySchedule(t: Pick<CliqSchedule, "timeZone" | "intervals">): WeeklySchedule {
  const windows: WeeklyWindow[] = [];
  const sorted = [...t.intervals].sort((a, b) => a.weekday - b.weekday || (a.start < b.start ? -1 : 1));
  for (const i of sorted) {
    const startMinute = minuteOf(i.start);
    const endMinute = minuteOf(i.end);
    const day = DAYS[i.weekday - 1];
    if (!day) continue;
    const same = windows.find((w) => w.startMinute === startMinute && w.endMinute === endMinute);
    if (same) {
      if (!same.days.includes(day)) same.days.push(day);
    } else windows.push({ days: [day], startMinute, endMinute });
  }
  return { timeZone: t.timeZone, windows };
}

function canonical(schedule: WeeklySchedule): string {
  return JSON.stringify({ timeZone: schedule.timeZone, intervals: toIntervals(schedule) });
}

export function sameSchedule(a: WeeklySchedule, b: WeeklySchedule): boolean {
  return canonical(a) === canonical(b);
}

/** The deterministic template name of a schedule (content hash), e.g. "keybridge 3f9a0c1b2d4e". */
export function scheduleName(schedule: WeeklySchedule): string {
  return SCHEDULE_NAME_PREFIX + createHash("sha256").update(canonical(schedule)).digest("hex").slice(0, 12);
}

export function isBridgeSchedule(t: Pick<CliqSchedule, "name">): boolean {
  return t.name.startsWith(SCHEDULE_NAME_PREFIX);
}

/**
 * The one schedule a key must carry for `desired` (null: none). A CLIQ key holds one schedule for all
 * its access, so grants with different schedules (or one with and one without) cannot be written
 * without opening a scheduled profile around the clock or closing an unscheduled one at night: refused.
 */
export function keySchedule(desired: GrantSpec[]): WeeklySchedule | null {
  const first = desired[0]?.schedule ?? null;
  for (const g of desired) {
    const s = g.schedule ?? null;
    if ((s === null) !== (first === null) || (s && first && !sameSchedule(s, first))) {
      throw new DriverError("permanent", "CLIQ keys carry one schedule; the desired profiles differ", {
        vendorSignal: "mixed schedules",
      });
    }
  }
  return first;
}

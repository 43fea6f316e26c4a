// Pure helpers over the contract's WeeklySchedule (absent = around the clock): a canonical key for
// comparing observed and desired grants, the union of two schedules, and whether one allows less.
import type { WeeklySchedule, WeeklyWindow } from "./key-system-driver";

export const WEEK_DAYS: WeeklyWindow["days"] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const DAY_MINUTES = 24 * 60;

/** Minute-of-week coverage: 7 × 1440 flags (10 080), cheap and exact for any window. */
function coverage(schedule: WeeklySchedule): Uint8Array {
  const minutes = new Uint8Array(7 * DAY_MINUTES);
  for (const w of schedule.windows) {
    for (const day of w.days) {
      const base = WEEK_DAYS.indexOf(day) * DAY_MINUTES;
      minutes.fill(1, base + w.startMinute, base + w.endMinute);
    }
  }
  return minutes;
}

/**
 * The canonical form: one window per contiguous run per day, days in week order, merged where two runs
 * share their times. Two schedules that open the same minutes get the same form (and key).
 */
export function normaliseSchedule(schedule: WeeklySchedule): WeeklySchedule {
  const minutes = coverage(schedule);
  const byTimes = new Map<string, WeeklyWindow>();
  for (const [d, day] of WEEK_DAYS.entries()) {
    let start = -1;
    for (let m = 0; m <= DAY_MINUTES; m++) {
      const open = m < DAY_MINUTES && minutes[d * DAY_MINUTES + m] === 1;
      if (open && start < 0) start = m;
      if (!open && start >= 0) {
        const key = `${start}-${m}`;
        const w = byTimes.get(key) ?? { days: [], startMinute: start, endMinute: m };
        w.days.push(day);
        byTimes.set(key, w);
        start = -1;
      }
    }
  }
  const windows = [...byTimes.values()].sort(
    (a, b) =>
      WEEK_DAYS.indexOf(a.days[0] ?? "mon") - WEEK_DAYS.indexOf(b.days[0] ?? "mon") ||
      a.startMinute - b.startMinute,
  );
  return { timeZone: schedule.timeZone, windows };
}

/** A stable string for comparisons ("" = around the clock). */
export function scheduleKey(schedule: WeeklySchedule | undefined): string {
  if (!schedule) return "";
  const n = normaliseSchedule(schedule);
  return `${n.timeZone}|${n.windows.map((w) => `${w.days.join(",")}@${w.startMinute}-${w.endMinute}`).join(";")}`;
}

/**
 * Union of access: open whenever either opens; around the clock when either is. Schedules in different
 * zones are not merged minute by minute (their offsets differ across DST); `mappings check` refuses a
 * schedule whose zone is not its key system's, so within one system this does not arise — if it does,
 * the first schedule is kept (never wider than a declared schedule).
 */
export function unionSchedules(
  a: WeeklySchedule | undefined,
  b: WeeklySchedule | undefined,
): WeeklySchedule | undefined {
  if (!a || !b) return undefined;
  if (a.timeZone !== b.timeZone) return a;
  return normaliseSchedule({ timeZone: a.timeZone, windows: [...a.windows, ...b.windows] });
}

/** True when `wanted` opens less than `held`: some minute `held` allows is closed under `wanted`. */
export function narrowsSchedule(
  held: WeeklySchedule | undefined,
  wanted: WeeklySchedule | undefined,
): boolean {
  if (!wanted) return false;
  if (!held) return true;
  if (held.timeZone !== wanted.timeZone) return true;
  const h = coverage(held);
  const w = coverage(wanted);
  return h.some((open, i) => open === 1 && w[i] !== 1);
}

/**
 * The minutes both allow (undefined = around the clock, so it leaves the other unchanged). For key
 * systems that keep one schedule per credential (iLOQ time limits): the key opens only when every
 * grant on it may. Schedules in different zones cannot be intersected exactly: the first is kept.
 */
export function intersectSchedules(
  a: WeeklySchedule | undefined,
  b: WeeklySchedule | undefined,
): WeeklySchedule | undefined {
  if (!a) return b;
  if (!b || a.timeZone !== b.timeZone) return a;
  const windows: WeeklyWindow[] = [];
  for (const wa of normaliseSchedule(a).windows)
    for (const wb of normaliseSchedule(b).windows) {
      const days = wa.days.filter((d) => wb.days.includes(d));
      const startMinute = Math.max(wa.startMinute, wb.startMinute);
      const endMinute = Math.min(wa.endMinute, wb.endMinute);
      if (days.length > 0 && startMinute < endMinute) windows.push({ days, startMinute, endMinute });
    }
  return normaliseSchedule({ timeZone: a.timeZone, windows });
}

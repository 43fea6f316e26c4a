// Which schedule template each key of a holder must carry for the desired grants: the bridge's template
// for the profiles' weekly schedule (found by its content-derived name, created once when missing), none
// when a bridge template is no longer wanted, and an administrator's template left alone (§1.2, §5 "own
// nothing you did not create").
import type { GrantSpec } from "../../src/drivers/key-system-driver";
import type { ScheduleBook } from "./cliq-access-plan";
import { isBridgeSchedule, keySchedule, scheduleName, toIntervals } from "./cliq-schedule";
import type { CwmAdapter } from "./cwm-adapter";
import type { CliqKey, CliqSchedule } from "./cwm-records";

export interface KeyScheduleChoice {
  /** The template id a key should carry. */
  scheduleIdFor(key: CliqKey): string | null;
  /** The templates read (and made) for this operation, to report grants with their schedule. */
  book: ScheduleBook;
}

export async function readSchedules(cwm: CwmAdapter): Promise<Map<string, CliqSchedule>> {
  return new Map((await cwm.schedules()).map((s) => [s.id, s]));
}

/** Throws DriverError(permanent) before any write when the desired profiles' schedules differ. */
export async function chooseKeySchedule(
  cwm: CwmAdapter,
  desired: GrantSpec[],
  keys: CliqKey[],
): Promise<KeyScheduleChoice> {
  const wanted = keySchedule(desired);
  const needsBook = wanted !== null || keys.some((k) => k.planned.scheduleId !== null);
  const book = needsBook ? await readSchedules(cwm) : new Map<string, CliqSchedule>();
  if (wanted === null) {
    return {
      book,
      scheduleIdFor: (key) => {
        const current = key.planned.scheduleId ? book.get(key.planned.scheduleId) : undefined;
        return current && isBridgeSchedule(current) ? null : key.planned.scheduleId;
      },
    };
  }
  const name = scheduleName(wanted);
  let template = [...book.values()].find((s) => s.name === name);
  if (!template) {
    template = await cwm.createSchedule({ name, timeZone: wanted.timeZone, intervals: toIntervals(wanted) });
    book.set(template.id, template);
  }
  const id = template.id;
  return { book, scheduleIdFor: () => id };
}

// Refuses a scheduled profile bound where its schedule cannot be kept: a key system whose driver cannot
// enforce schedules (the grant would open around the clock, wider than declared), or one whose
// lock-local time zone differs from the schedule's (weekly hours do not convert across DST changes).
import type { DocContext } from "./build-profile";
import { report } from "./build-profile";
import type { ProfileDoc } from "./mapping-schema";
import type { KeySystemDef } from "./mapping-set";

/** Whether a driver kind enforces schedules; from the driver factories' static capabilities. */
export type CanSchedule = (driver: string) => boolean;

export function checkScheduleBindings(
  doc: ProfileDoc,
  ctx: DocContext,
  systems: ReadonlyMap<string, KeySystemDef>,
  canSchedule?: CanSchedule,
): void {
  if (!doc.schedule) return;
  for (const id of Object.keys(doc.keySystems).sort()) {
    const system = systems.get(id);
    if (!system) continue; // reported as an unknown key system by buildProfile
    if (canSchedule && !canSchedule(system.driver)) {
      report(
        ctx,
        ["keySystems", id],
        `key system "${id}" (driver ${system.driver}) cannot enforce schedules: this scheduled profile would open around the clock there`,
        true,
      );
    }
    if (doc.schedule.timeZone !== system.timeZone) {
      report(
        ctx,
        ["schedule", "timeZone"],
        `schedule is in ${doc.schedule.timeZone} but key system "${id}" keeps lock-local time in ${system.timeZone}; use the key system's zone (or set its timeZone)`,
      );
    }
  }
}

// Pure translation between a profile's weekly schedule and a CWM schedule template: the round trip is
// exact (so a converged key compares equal), the order the mappings list days in does not matter, a
// window to midnight survives as "24:00", and one key cannot carry two different schedules.
import type { WeeklySchedule } from "../../../src/drivers/key-system-driver";
import {
  isBridgeSchedule,
  keySchedule,
  sameSchedule,
  scheduleName,
  toIntervals,
  toWeeklySchedule,
} from "../../../connectors/cliq/cliq-schedule";

const NIGHT_SHIFT: WeeklySchedule = {
  timeZone: "Europe/Berlin",
  windows: [
    { days: ["mon", "tue"], startMinute: 22 * 60, endMinute: 24 * 60 },
    { days: ["sat"], startMinute: 0, endMinute: 6 * 60 + 15 },
  ],
};

test("a schedule survives the trip to CWM intervals and back unchanged", () => {
  const intervals = toIntervals(NIGHT_SHIFT);
  expect(intervals).toEqual([
    { weekday: 1, start: "22:00", end: "24:00" },
    { weekday: 2, start: "22:00", end: "24:00" },
    { weekday: 6, start: "00:00", end: "06:15" },
  ]);
  expect(toWeeklySchedule({ timeZone: "Europe/Berlin", intervals })).toEqual(NIGHT_SHIFT);
});

test("day order and window order do not make a different schedule (nor a different template name)", () => {
  const shuffled: WeeklySchedule = {
    timeZone: "Europe/Berlin",
    windows: [
      { days: ["sat"], startMinute: 0, endMinute: 375 },
      { days: ["tue", "mon"], startMinute: 1320, endMinute: 1440 },
    ],
  };
  expect(sameSchedule(shuffled, NIGHT_SHIFT)).toBe(true);
  expect(scheduleName(shuffled)).toBe(scheduleName(NIGHT_SHIFT));
  expect(isBridgeSchedule({ name: scheduleName(NIGHT_SHIFT) })).toBe(true);
  expect(isBridgeSchedule({ name: "Office hours" })).toBe(false);
});

test("another time zone is another schedule", () => {
  expect(sameSchedule({ ...NIGHT_SHIFT, timeZone: "UTC" }, NIGHT_SHIFT)).toBe(false);
});

test("one key, one schedule: grants with different schedules are refused as permanent", () => {
  expect(
    keySchedule([
      { vendorRef: "a", schedule: NIGHT_SHIFT },
      { vendorRef: "b", schedule: NIGHT_SHIFT },
    ]),
  ).toBe(NIGHT_SHIFT);
  expect(keySchedule([{ vendorRef: "a" }, { vendorRef: "b" }])).toBeNull();
  expect(() => keySchedule([{ vendorRef: "a", schedule: NIGHT_SHIFT }, { vendorRef: "b" }])).toThrow(
    expect.objectContaining({ kind: "permanent" }),
  );
});

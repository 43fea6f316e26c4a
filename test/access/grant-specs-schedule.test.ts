// Schedules in grant specs: the profile's weekly schedule reaches the driver, two profiles on one vendor
// reference open the union of their hours, a narrower schedule is a revocation, and an observed
// schedule written in another window order still counts as converged.
import type { DesiredGrant } from "../../src/access/desired-grant";
import { removesAccess, sameGrantSets, toGrantSpecs } from "../../src/access/grant-specs";
import type { WeeklySchedule } from "../../src/drivers/key-system-driver";

const now = new Date("2026-11-26T12:00:00.000Z");
const zone = "Europe/Berlin";
const weekdays: WeeklySchedule = {
  timeZone: zone,
  windows: [{ days: ["mon", "tue", "wed", "thu", "fri"], startMinute: 345, endMinute: 1335 }],
};
const weekend: WeeklySchedule = {
  timeZone: zone,
  windows: [{ days: ["sat", "sun"], startMinute: 405, endMinute: 1155 }],
};

function grant(profile: string, schedule?: WeeklySchedule): DesiredGrant {
  return {
    system: "hq",
    profile,
    vendorRefs: ["sa-1"],
    critical: true,
    reasons: ["r"],
    ...(schedule ? { schedule } : {}),
  };
}

it("plumbs the profile's schedule into the GrantSpec the driver receives", () => {
  expect(toGrantSpecs([grant("control-room", weekdays)], now, true)).toEqual([
    { vendorRef: "sa-1", schedule: weekdays },
  ]);
});

it("two scheduled profiles on one reference open the union of their windows", () => {
  const [spec] = toGrantSpecs([grant("a", weekdays), grant("b", weekend)], now, true);
  expect(spec?.schedule?.windows).toEqual([...weekdays.windows, ...weekend.windows]);
});

it("an unscheduled profile on the same reference opens it around the clock", () => {
  expect(toGrantSpecs([grant("a", weekdays), grant("b")], now, true)).toEqual([{ vendorRef: "sa-1" }]);
});

it("a schedule compares by the minutes it opens, not by how its windows are written", () => {
  const split: WeeklySchedule = {
    timeZone: zone,
    windows: [
      { days: ["fri", "thu"], startMinute: 345, endMinute: 1335 },
      { days: ["mon", "tue", "wed"], startMinute: 345, endMinute: 900 },
      { days: ["mon", "tue", "wed"], startMinute: 900, endMinute: 1335 },
    ],
  };
  expect(
    sameGrantSets([{ vendorRef: "sa-1", schedule: split }], [{ vendorRef: "sa-1", schedule: weekdays }]),
  ).toBe(true);
  expect(sameGrantSets([{ vendorRef: "sa-1" }], [{ vendorRef: "sa-1", schedule: weekdays }])).toBe(false);
});

it("a narrower schedule removes access; a wider one does not", () => {
  const held = [{ vendorRef: "sa-1" }];
  expect(removesAccess(held, [{ vendorRef: "sa-1", schedule: weekdays }])).toBe(true);
  expect(removesAccess([{ vendorRef: "sa-1", schedule: weekdays }], held)).toBe(false);
  const both = toGrantSpecs([grant("a", weekdays), grant("b", weekend)], now, true);
  expect(removesAccess(both, [{ vendorRef: "sa-1", schedule: weekdays }])).toBe(true);
  expect(removesAccess([{ vendorRef: "sa-1", schedule: weekdays }], both)).toBe(false);
});

it("where a key keeps one schedule (iLOQ), every grant on it carries the intersection, as observed back", () => {
  const office = { ...grant("office"), vendorRefs: ["sa-2"] };
  const specs = toGrantSpecs([grant("control-room", weekdays), office], now, true, true);
  expect(specs).toEqual([
    { vendorRef: "sa-1", schedule: weekdays },
    { vendorRef: "sa-2", schedule: weekdays },
  ]);
  expect(toGrantSpecs([office], now, true, true)).toEqual([{ vendorRef: "sa-2" }]);
});

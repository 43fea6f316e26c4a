// HR dates in the locking system's zone, durations and the schedule grid: the arithmetic behind windows.
import { parseClock } from "../../src/mapping/build-profile";
import { parseDuration } from "../../src/mapping/parse-duration";
import { parseHrDate } from "../../src/mapping/zoned-time";

describe("parseHrDate", () => {
  const cases: Array<[string, string, "start" | "end", string | null]> = [
    ["2026-06-30", "Europe/Berlin", "end", "2026-06-30T22:00:00.000Z"], // summer time, UTC+2
    ["2026-12-31", "Europe/Berlin", "end", "2026-12-31T23:00:00.000Z"], // winter time, UTC+1
    ["2026-03-29", "Europe/Berlin", "start", "2026-03-28T23:00:00.000Z"], // day of the switch to summer time
    ["2026-07-01", "UTC", "start", "2026-07-01T00:00:00.000Z"],
    ["2026-07-01T10:00:00+02:00", "Europe/Berlin", "end", "2026-07-01T08:00:00.000Z"], // instants as they are
    ["2026-02-30", "UTC", "start", null],
    ["next friday", "UTC", "end", null],
  ];
  it.each(cases)("%s in %s (%s of day)", (text, zone, edge, expected) => {
    const ms = parseHrDate(text, zone, edge);
    expect(ms === null ? null : new Date(ms).toISOString()).toBe(expected);
  });
});

describe("parseDuration", () => {
  it.each([
    ["P30D", 30 * 86_400_000],
    ["P2W", 14 * 86_400_000],
    ["PT12H", 12 * 3_600_000],
    ["P1DT6H30M", (30 * 60 + 30) * 60_000],
  ])("%s", (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(["P1M", "P1Y", "30d", "P", "PT", "P0D"])("rejects %s", (text) =>
    expect(parseDuration(text)).toBeNull(),
  );
});

describe("parseClock", () => {
  it("accepts the 15-minute grid and 24:00", () => {
    expect([parseClock("05:45"), parseClock("00:00"), parseClock("24:00")]).toEqual([345, 0, 1440]);
  });
  it.each(["08:10", "24:15", "7:00", "12:60"])("rejects %s", (text) =>
    expect(typeof parseClock(text)).toBe("string"),
  );
});

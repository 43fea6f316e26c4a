// Which dateTime texts name a real instant: the table behind the 400s for 2027-02-30 and friends,
// each of which `new Date()` would roll over into extra days of access.
import { isCalendarDateTime } from "../../src/scim/check-calendar-dates";

describe("isCalendarDateTime", () => {
  test.each([
    "2027-02-28",
    "2028-02-29", // leap year
    "2000-02-29", // divisible by 400
    "2027-04-30T23:59:59+02:00",
    "2027-12-31T23:59:59.999Z",
    "2027-06-30T10:00Z",
    "2027-06-30T10:00:00+0530",
    "2027-06-30 10:00:00Z",
  ])("%s is a real date", (text) => expect(isCalendarDateTime(text)).toBe(true));

  test.each([
    "2027-02-29", // not a leap year
    "1900-02-29", // divisible by 100, not 400
    "2027-02-30",
    "2027-04-31",
    "2027-06-31T23:59:59+02:00",
    "2027-13-01",
    "2027-00-01",
    "2027-01-00",
    "2027-06-30T24:00:00Z",
    "2027-06-30T23:60:00Z",
    "2027-06-30T23:59:60Z",
    "2027-06-30T10:00:00+24:00",
    "2027/02/30",
    "Feb 30 2027",
    "+020270-01-01T00:00:00Z",
    "2027-06-30T10:00:00Zjunk",
    "",
  ])("%s is refused", (text) => expect(isCalendarDateTime(text)).toBe(false));
});

// Refuses dateTime values that name no real calendar instant before they are coerced: `new Date()`,
// which SCIMMY and the compiled coercion both use, rolls 2027-02-30 over to 2027-03-02, and for
// accessValidUntil that is two more days of physical access.
import { isPlainObject } from "./normalise-values";
import { ScimError } from "./scim-error";

/** The parts of a compiled schema (compiled-coercion.ts) this check reads. */
interface DateAttribute {
  name: string;
  type: string;
  multiValued: boolean;
  sub?: Map<string, DateAttribute>;
}

interface DateSchema {
  attributes: DateAttribute[];
  extensions: DateSchema[];
}

/**
 * xsd:dateTime as RFC 7643 §2.3.5 requires (seconds and zone optional, `T` or a space), or an HR date
 * without time (`YYYY-MM-DD`). Other shapes `new Date()` would guess at ("2027/02/30", "Feb 30 2027")
 * roll over just the same, so they are refused too.
 */
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:[Zz]|[+-](\d{2}):?(\d{2}))?)?$/;

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** True when `text` is a dateTime whose every field is in range for its calendar month. */
export function isCalendarDateTime(text: string): boolean {
  const m = DATE_TIME.exec(text);
  if (!m) return false;
  const [year, month, day, hour = 0, minute = 0, second = 0, zoneHour = 0, zoneMinute = 0] = m
    .slice(1)
    .map((part) => (part === undefined ? undefined : Number(part)));
  if (month === undefined || month < 1 || month > 12) return false;
  if (day === undefined || day < 1 || day > daysIn(year ?? 0, month)) return false;
  return hour <= 23 && minute <= 59 && second <= 59 && zoneHour <= 23 && zoneMinute <= 59;
}

const MSG_NOT_A_DATE = "A dateTime attribute is not a calendar date and time (RFC 7643 §2.3.5).";

function checkValue(attribute: DateAttribute, value: unknown): void {
  if (attribute.type === "dateTime") {
    // Non-strings are left to coercion, which refuses them with its own wording.
    if (typeof value === "string" && !isCalendarDateTime(value))
      throw new ScimError(400, "invalidValue", `${MSG_NOT_A_DATE} (${attribute.name})`);
  } else if (attribute.sub && isPlainObject(value)) {
    checkObject(attribute.sub, value);
  }
}

/** Keys are matched case-insensitively, as SCIMMY reads a body. */
function checkObject(attributes: Map<string, DateAttribute>, data: Record<string, unknown>): void {
  for (const key of Object.keys(data)) {
    const attribute = attributes.get(key.toLowerCase());
    if (!attribute) continue;
    const value = data[key];
    if (attribute.multiValued && Array.isArray(value)) for (const v of value) checkValue(attribute, v);
    else checkValue(attribute, value);
  }
}

const byName = (attributes: DateAttribute[]) => new Map(attributes.map((a) => [a.name.toLowerCase(), a]));

/** Throws 400 invalidValue for the first dateTime value in `body` (core or extension) that is not a real date. */
export function checkCalendarDates(
  schema: DateSchema & { id?: string },
  body: Record<string, unknown>,
): void {
  checkObject(byName(schema.attributes), body);
  for (const extension of schema.extensions as (DateSchema & { id: string })[]) {
    const key = Object.keys(body).find((k) => k.toLowerCase() === extension.id.toLowerCase());
    const value = key === undefined ? undefined : body[key];
    if (isPlainObject(value)) checkObject(byName(extension.attributes), value);
  }
}

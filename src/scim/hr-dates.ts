// The keybridge extension's HR dates (accessValidFrom, accessValidUntil) as the edge stores them: a
// date-only value stays date-only, because only the key system's time zone says when that day starts and
// ends (mappings/README.md "HR dates", specs/idp-signals.md §4.3); an instant is normalised like a SCIM
// dateTime (RFC 7643 §2.3.5). Anything else is 400 invalidValue rather than a silently withheld grant.
import { isCalendarDateTime } from "./check-calendar-dates";
import { isPlainObject } from "./normalise-values";
import { ScimError } from "./scim-error";

export const HR_DATE_ATTRIBUTES = ["accessValidFrom", "accessValidUntil"] as const;

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** xsd:dateTime (RFC 7643 §2.3.5): a zone-less instant is read as UTC, whatever the host's zone. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/i;

function isCalendarDate(text: string): boolean {
  const m = DATE_ONLY.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** The stored form of one HR date, or a 400 naming the attribute (never its value: personal data). */
export function normaliseHrDate(name: string, value: string): string {
  if (DATE_ONLY.test(value)) {
    if (isCalendarDate(value)) return value;
  } else {
    // Date.parse rolls 2027-02-30 over to March: the calendar check comes first.
    const m = isCalendarDateTime(value) ? INSTANT.exec(value) : null;
    const ms = m ? Date.parse(m[1] ? value : `${value}Z`) : Number.NaN;
    if (!Number.isNaN(ms)) return new Date(ms).toISOString();
  }
  throw new ScimError(400, "invalidValue", `${name} must be a date (YYYY-MM-DD) or an ISO 8601 instant.`);
}

/** Rewrites the HR dates of a coerced User's keybridge extension object in place. */
export function normaliseHrDates(extension: unknown): void {
  if (!isPlainObject(extension)) return;
  for (const name of HR_DATE_ATTRIBUTES) {
    const value = extension[name];
    if (typeof value === "string") extension[name] = normaliseHrDate(name, value);
  }
}

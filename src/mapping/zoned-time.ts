// Time-zone arithmetic for HR dates without a time: a date-only accessValidUntil means the end of that day
// in the locking system's local time (specs/idp-signals.md §4.3), not midnight UTC.
const formatters = new Map<string, Intl.DateTimeFormat>();

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Offset (ms) of `zone` from UTC at instant `utcMs`. */
function offsetAt(zone: string, utcMs: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(zone).formatToParts(new Date(utcMs))) parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour!,
    parts.minute!,
    parts.second!,
  );
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/** The UTC instant of local midnight starting the given calendar day in `zone`. */
export function startOfDayIn(zone: string, year: number, month: number, day: number): number {
  const guess = Date.UTC(year, month - 1, day);
  const first = guess - offsetAt(zone, guess);
  // Re-check at the candidate: the offset may differ across a DST change near midnight.
  return guess - offsetAt(zone, first);
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** zone|edge → date text → instant; date-only HR values repeat across many persons. */
const cache = new Map<string, Map<string, number | null>>();

/**
 * Parses an HR date. Full instants are taken as they are; a date-only value is the start of that day
 * (`edge: "start"`) or the start of the next day (`edge: "end"`, exclusive end) in `zone`.
 * Returns null when the text is not a date.
 */
export function parseHrDate(text: string, zone: string, edge: "start" | "end"): number | null {
  const m = DATE_ONLY.exec(text);
  if (!m) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? null : ms;
  }
  const zoneKey = edge === "end" ? `${zone}|end` : zone;
  let byText = cache.get(zoneKey);
  if (!byText) {
    byText = new Map();
    cache.set(zoneKey, byText);
  }
  const hit = byText.get(text);
  if (hit !== undefined) return hit;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  let out: number | null = null;
  if (check.getUTCMonth() === mo - 1 && check.getUTCDate() === d)
    out = startOfDayIn(zone, y, mo, edge === "end" ? d + 1 : d);
  if (byText.size > 10_000) byText.clear();
  byText.set(text, out);
  return out;
}

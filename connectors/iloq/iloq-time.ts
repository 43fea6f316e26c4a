// Local date-times of a locking system: iLOQ sends `yyyy-MM-ddTHH:mm:ss` in the LockGroup's time zone
// (key-systems.md §2.1) and time limits must sit on a 15-minute grid (CanAddTimeLimit 7, §2.4).

/** .NET (Windows) names iLOQ may report as TimeZoneStandardName, mapped to IANA zones [inf]. */
const WINDOWS_TO_IANA: Record<string, string> = {
  "FLE Standard Time": "Europe/Helsinki",
  "W. Europe Standard Time": "Europe/Berlin",
  "Central Europe Standard Time": "Europe/Budapest",
  "Central European Standard Time": "Europe/Warsaw",
  "Romance Standard Time": "Europe/Paris",
  "GMT Standard Time": "Europe/London",
  "E. Europe Standard Time": "Europe/Chisinau",
  "GTB Standard Time": "Europe/Bucharest",
  UTC: "UTC",
};

export const GRID_MS = 15 * 60_000;

function isIanaZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The IANA zone for a LockGroup's TimeZoneStandardName, or the configured fallback. */
export function resolveTimeZone(standardName: string | null | undefined, fallback: string): string {
  if (standardName && WINDOWS_TO_IANA[standardName]) return WINDOWS_TO_IANA[standardName];
  if (standardName && isIanaZone(standardName)) return standardName;
  return fallback;
}

function wallClock(date: Date, zone: string): number {
  const f = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(date)) p[part.type] = Number(part.value);
  return Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
}

/** UTC instant → local `yyyy-MM-ddTHH:mm:ss` in `zone`. */
export function toIloqLocal(date: Date, zone: string): string {
  return new Date(wallClock(date, zone)).toISOString().slice(0, 19);
}

/** Local `yyyy-MM-ddTHH:mm:ss` in `zone` → UTC instant (null when unparsable). */
export function fromIloqLocal(text: string, zone: string): Date | null {
  const asUtc = Date.parse(`${text.slice(0, 19)}Z`);
  if (Number.isNaN(asUtc)) return null;
  let guess = asUtc;
  for (let i = 0; i < 2; i++) guess += asUtc - wallClock(new Date(guess), zone);
  return new Date(guess);
}

/** iLOQ `…Utc` fields carry no offset; read them as UTC. */
export function fromIloqUtc(text: string): Date | null {
  const d = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(text) ? text : `${text}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function toIloqUtc(date: Date): string {
  return date.toISOString().slice(0, 19);
}

/**
 * Rounds to the 15-minute grid of local time. Zones whose offset is a multiple of 15 minutes share the
 * UTC grid, so rounding the UTC instant is exact for them (every zone with iLOQ presence).
 */
export function floorToGrid(date: Date): Date {
  return new Date(Math.floor(date.getTime() / GRID_MS) * GRID_MS);
}

export function ceilToGrid(date: Date): Date {
  return new Date(Math.ceil(date.getTime() / GRID_MS) * GRID_MS);
}

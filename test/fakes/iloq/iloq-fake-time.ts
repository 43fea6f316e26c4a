// Local date-times of the fake: iLOQ sends `yyyy-MM-ddTHH:mm:ss` in the LockGroup's time zone (§2.1).
// Written independently of the driver's converter so a shared bug cannot hide in both.

/** [inf] TimeZoneStandardName is a .NET (Windows) zone name; the fake maps the few it seeds. */
const WINDOWS_ZONES: Record<string, string> = {
  "FLE Standard Time": "Europe/Helsinki",
  "W. Europe Standard Time": "Europe/Berlin",
  "GMT Standard Time": "Europe/London",
  "Romance Standard Time": "Europe/Paris",
  UTC: "UTC",
};

export function ianaZone(standardName: string): string {
  return WINDOWS_ZONES[standardName] ?? standardName;
}

function parts(date: Date, zone: string): Record<string, number> {
  const fmt = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
  const out: Record<string, number> = {};
  for (const p of fmt.formatToParts(date)) if (p.type !== "literal") out[p.type] = Number(p.value);
  return out;
}

const pad = (n: number | undefined, w = 2) => String(n ?? 0).padStart(w, "0");

export function toLocalString(date: Date, standardName: string): string {
  const p = parts(date, ianaZone(standardName));
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

/** Parses a local wall-clock time; returns null when the text is not `yyyy-MM-ddTHH:mm:ss`. */
export function fromLocalString(text: string, standardName: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const asUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  const zone = ianaZone(standardName);
  let guess = asUtc;
  for (let i = 0; i < 2; i++) {
    const p = parts(new Date(guess), zone);
    const shown = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
    guess += asUtc - shown;
  }
  return new Date(guess);
}

/** UTC fields are rendered without offset as well (ASP.NET style, e.g. `GoingDateUtc`). */
export function toUtcString(date: Date): string {
  return date.toISOString().slice(0, 19);
}

export function fromUtcString(text: string): Date | null {
  const d = new Date(/[zZ]|[+-]\d\d:\d\d$/.test(text) ? text : `${text}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

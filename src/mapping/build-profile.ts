// Turns a validated Profile document into a ProfileDef: durations parsed, schedule windows checked on
// iLOQ's 15-minute grid (specs/key-systems.md §2.2, "Times must be multiples of 15 minutes").
import type { ProfileSchedule, WeeklyWindow } from "../access/desired-grant";
import type { MappingProblem } from "./mapping-error";
import type { ProfileDoc } from "./mapping-schema";
import type { ProfileDef } from "./mapping-set";
import { formatPath, type Locator, type PathSegment } from "./parse-mapping-documents";
import { parseDuration } from "./parse-duration";
import { isValidTimeZone } from "./zoned-time";

export interface DocContext {
  file: string;
  line: number;
  label: string;
  locate: Locator;
  problems: MappingProblem[];
  /**
   * False when some document failed to parse: references to names it may have defined would only
   * repeat that failure as "unknown profile" noise, so they are checked once it parses.
   */
  checkReferences: boolean;
}

export function report(ctx: DocContext, path: PathSegment[], message: string, atKey = false): void {
  ctx.problems.push({
    file: ctx.file,
    line: ctx.locate(path, atKey),
    path: formatPath(ctx.label, path),
    message,
  });
}

const CLOCK = /^(\d{2}):(\d{2})$/;

/** Minutes since midnight of "HH:MM" on the 15-minute grid, or an error message. */
export function parseClock(text: string): number | string {
  const m = CLOCK.exec(text);
  if (!m) return `expected HH:MM, found ${JSON.stringify(text)}`;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  if (Number(m[2]) >= 60 || minutes > 24 * 60) return `${text} is not a time of day`;
  if (minutes % 15 !== 0)
    return `${text} is off the 15-minute grid (key systems store times in 15-minute steps)`;
  return minutes;
}

function buildSchedule(doc: NonNullable<ProfileDoc["schedule"]>, ctx: DocContext): ProfileSchedule {
  if (!isValidTimeZone(doc.timeZone))
    report(ctx, ["schedule", "timeZone"], `unknown IANA time zone ${JSON.stringify(doc.timeZone)}`);
  const windows: WeeklyWindow[] = [];
  for (const [i, w] of doc.windows.entries()) {
    const start = parseClock(w.start);
    const end = parseClock(w.end);
    if (typeof start === "string") report(ctx, ["schedule", "windows", i, "start"], start);
    if (typeof end === "string") report(ctx, ["schedule", "windows", i, "end"], end);
    if (typeof start !== "number" || typeof end !== "number") continue;
    if (end <= start)
      report(ctx, ["schedule", "windows", i], "end must be after start (split overnight windows)");
    windows.push({ days: w.days, startMinute: start, endMinute: end });
  }
  return { timeZone: doc.timeZone, windows };
}

export function buildProfile(doc: ProfileDoc, ctx: DocContext, systems: ReadonlySet<string>): ProfileDef {
  const def: ProfileDef = {
    name: doc.name,
    critical: doc.critical,
    bindings: [],
    source: { file: ctx.file, line: ctx.line },
  };
  if (doc.description !== undefined) def.description = doc.description;
  if (doc.maxValidity !== undefined) {
    const ms = parseDuration(doc.maxValidity);
    if (ms === null)
      report(
        ctx,
        ["maxValidity"],
        `bad duration ${JSON.stringify(doc.maxValidity)}; use weeks/days/hours, e.g. P30D`,
      );
    else {
      def.maxValidity = doc.maxValidity;
      def.maxValidityMs = ms;
    }
  }
  if (doc.schedule) def.schedule = buildSchedule(doc.schedule, ctx);
  const ids = Object.keys(doc.keySystems).sort();
  if (ids.length === 0) report(ctx, ["keySystems"], "a profile binds at least one key system");
  for (const system of ids) {
    if (!systems.has(system)) {
      if (!ctx.checkReferences) continue;
      const known = [...systems].sort().join(", ") || "none declared";
      report(ctx, ["keySystems", system], `unknown key system "${system}" (known: ${known})`, true);
      continue;
    }
    def.bindings.push({ system, vendorRefs: [...doc.keySystems[system]!.vendorRefs] });
  }
  return def;
}

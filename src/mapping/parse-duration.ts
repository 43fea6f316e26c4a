// ISO 8601 durations for maxValidity, limited to weeks, days, hours and minutes: years and months have
// no fixed length, and a validity limit must mean the same number of hours for every person.
const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/;

/** Milliseconds of a duration like P30D, P2W, PT12H, P1DT6H; null when not of that form or zero. */
export function parseDuration(text: string): number | null {
  const m = DURATION.exec(text);
  if (!m || text === "P" || text.endsWith("T")) return null;
  const [w, d, h, min] = [m[1], m[2], m[3], m[4]].map((v) => (v === undefined ? 0 : Number(v)));
  const ms = (((w! * 7 + d!) * 24 + h!) * 60 + min!) * 60_000;
  return ms > 0 ? ms : null;
}

// Times as an operator types them into a console form or a query: ISO 8601, where a time without a
// zone means UTC (the console shows every time in UTC), so "2026-12-07T08:00" is not the server's local time.

/** undefined for empty text, null for text that is not a time. */
export function parseOperatorTime(text: string): Date | undefined | null {
  if (!text) return undefined;
  const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}

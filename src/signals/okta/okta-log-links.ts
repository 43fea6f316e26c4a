// Builds and follows System Log polling URLs (Okta System Log API, "Polling requests"): the first request
// carries `since`, later ones follow the system-generated `next` link verbatim (never a crafted `after`),
// and a link is only followed on the configured org's origin, so the credential never goes elsewhere.

/** `eventType eq "a" or eventType eq "b"` — the filter that keeps pages to the events we act on. */
export function eventTypeFilter(eventTypes: readonly string[]): string {
  return eventTypes.map((t) => `eventType eq "${t}"`).join(" or ");
}

export function firstLogUrl(
  orgUrl: string,
  since: string,
  eventTypes: readonly string[],
  limit: number,
): string {
  const url = new URL("/api/v1/logs", orgUrl);
  url.searchParams.set("since", since);
  url.searchParams.set("limit", String(limit));
  url.searchParams.set("sortOrder", "ASCENDING");
  url.searchParams.set("filter", eventTypeFilter(eventTypes));
  return url.href;
}

/** The `rel="next"` target of an RFC 8288 Link header, or null. */
export function nextLinkOf(header: string | null | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(/,\s*(?=<)/)) {
    const m = /^<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (m?.[1] && /\brel="?next"?/.test(m[2] ?? "")) return m[1];
  }
  return null;
}

export function isSameOrigin(url: string, orgUrl: string): boolean {
  try {
    return new URL(url).origin === new URL(orgUrl).origin;
  } catch {
    return false;
  }
}

// The org fake's System Log query semantics, which the poller tests rely on (Okta System Log API,
// polling requests): a next link on every polling page, the cursor past everything scanned, since/after
// exclusive, the eventType filter, a bounded query ending.
import { parseLogQuery, selectLogPage, type StoredLogEvent } from "../../fakes/okta/okta-log-query";
import { oktaLogEvent } from "../../fakes/okta/okta-log-event";

const NOW = Date.parse("2026-12-07T12:00:00Z");
const stored = (types: string[]): StoredLogEvent[] =>
  types.map((eventType, i) => ({
    seq: i + 1,
    persistedAt: NOW - 1000 + i,
    event: oktaLogEvent({ eventType, userId: `00u${i}` }),
  }));

function query(params: Record<string, string>) {
  const parsed = parseLogQuery(new URLSearchParams(params), NOW);
  if (!parsed.ok) throw new Error(parsed.summary);
  return parsed.query;
}

describe("the org fake's System Log queries", () => {
  const log = stored(["user.lifecycle.deactivate", "user.session.start", "user.lifecycle.suspend"]);

  it("filters by event type and moves the cursor past skipped events", () => {
    const q = query({
      since: new Date(NOW - 60_000).toISOString(),
      filter: 'eventType eq "user.lifecycle.deactivate" or eventType eq "user.lifecycle.suspend"',
    });
    const page = selectLogPage(log, q);
    expect(page.events.map((e) => e.eventType)).toEqual([
      "user.lifecycle.deactivate",
      "user.lifecycle.suspend",
    ]);
    expect(page.nextSeq).toBe(3);
    expect(selectLogPage(log, { ...q, since: undefined, afterSeq: 3 })).toEqual({ events: [], nextSeq: 3 });
  });

  it("pages by limit", () => {
    const page = selectLogPage(log, query({ since: new Date(NOW - 60_000).toISOString(), limit: "2" }));
    expect(page.events).toHaveLength(2);
    expect(page.nextSeq).toBe(2);
  });

  it("refuses since with after, a bad filter and a since beyond 180 days", () => {
    const refused = (p: Record<string, string>) => parseLogQuery(new URLSearchParams(p), NOW).ok;
    expect(refused({ since: new Date(NOW).toISOString(), after: "Yzox" })).toBe(false);
    expect(refused({ filter: 'actor.id eq "x"' })).toBe(false);
    expect(refused({ since: new Date(NOW - 181 * 86_400_000).toISOString() })).toBe(false);
  });

  it("ends a bounded query (until) without a next link", () => {
    const page = selectLogPage(
      log,
      query({ since: new Date(NOW - 60_000).toISOString(), until: new Date(NOW).toISOString() }),
    );
    expect(page.nextSeq).toBeNull();
  });
});

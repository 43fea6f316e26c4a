// The System Log poller's pure decisions: how long a rate-limit answer makes it wait, which next link it
// follows, and the order and uniqueness of a page's signals.
import type { IdpSignal } from "../../../src/signals/idp-signal";
import {
  OKTA_SIGNAL_EVENT_TYPES,
  type OktaLogEvent,
  oktaEventToSignal,
} from "../../../src/signals/okta-event-kinds";
import {
  eventTypeFilter,
  firstLogUrl,
  isSameOrigin,
  nextLinkOf,
} from "../../../src/signals/okta/okta-log-links";
import { rateLimitPauseMs, readRateLimit } from "../../../src/signals/okta/okta-rate-limit";
import { pageSignals } from "../../../src/signals/okta/poll-okta-log";
import { oktaLogEvent } from "../../fakes/okta/okta-log-event";

const NOW = Date.parse("2026-12-07T12:00:00Z");
const headers = (h: Record<string, string>) => readRateLimit((n) => h[n]);

describe("rate-limit pauses (Okta X-Rate-Limit-* headers)", () => {
  it("waits until Reset, measured on Okta's clock plus a second, after a 429", () => {
    const state = headers({
      "x-rate-limit-remaining": "0",
      "x-rate-limit-reset": String(NOW / 1000 + 30),
      date: new Date(NOW - 5000).toUTCString(),
    });
    expect(rateLimitPauseMs(state, 429, NOW)).toBe(36_000);
  });

  it("waits one minute after a 429 without a Reset header", () => {
    expect(rateLimitPauseMs(headers({}), 429, NOW)).toBe(60_000);
  });

  it("pauses a healthy answer only when the bucket is down to its last tenth", () => {
    const at = (remaining: number) =>
      headers({
        "x-rate-limit-limit": "100",
        "x-rate-limit-remaining": String(remaining),
        "x-rate-limit-reset": String(NOW / 1000 + 20),
      });
    expect(rateLimitPauseMs(at(11), 200, NOW)).toBe(0);
    expect(rateLimitPauseMs(at(10), 200, NOW)).toBe(21_000);
  });

  it("never waits less than a second nor more than fifteen minutes", () => {
    const past = headers({ "x-rate-limit-reset": String(NOW / 1000 - 100) });
    const far = headers({ "x-rate-limit-reset": String(NOW / 1000 + 86_400) });
    expect(rateLimitPauseMs(past, 429, NOW)).toBe(1000);
    expect(rateLimitPauseMs(far, 429, NOW)).toBe(15 * 60_000);
  });
});

describe("System Log links", () => {
  it("asks for the signal event types in ascending order from `since`", () => {
    const url = new URL(
      firstLogUrl("https://acme.okta.com", "2026-12-07T11:00:00.000Z", OKTA_SIGNAL_EVENT_TYPES, 100),
    );
    expect(url.pathname).toBe("/api/v1/logs");
    expect(url.searchParams.get("since")).toBe("2026-12-07T11:00:00.000Z");
    expect(url.searchParams.get("sortOrder")).toBe("ASCENDING");
    expect(url.searchParams.get("filter")).toBe(eventTypeFilter(OKTA_SIGNAL_EVENT_TYPES));
    expect(url.searchParams.get("filter")).toContain('eventType eq "user.lifecycle.deactivate" or ');
  });

  it("takes the rel=next target of a Link header and ignores self", () => {
    const link =
      '<https://acme.okta.com/api/v1/logs?since=x>; rel="self", <https://acme.okta.com/api/v1/logs?after=abc,def>; rel="next"';
    expect(nextLinkOf(link)).toBe("https://acme.okta.com/api/v1/logs?after=abc,def");
    expect(nextLinkOf('<https://acme.okta.com/api/v1/logs>; rel="self"')).toBeNull();
    expect(nextLinkOf(null)).toBeNull();
  });

  it("follows links only on the configured org's origin", () => {
    expect(isSameOrigin("https://acme.okta.com/api/v1/logs?after=1", "https://acme.okta.com")).toBe(true);
    expect(isSameOrigin("https://evil.example/api/v1/logs", "https://acme.okta.com")).toBe(false);
    expect(isSameOrigin("http://acme.okta.com/api/v1/logs", "https://acme.okta.com")).toBe(false);
    expect(isSameOrigin("not a url", "https://acme.okta.com")).toBe(false);
  });
});

describe("a page's signals", () => {
  const toSignal = (e: unknown, at: Date): IdpSignal | null =>
    oktaEventToSignal("acme", "okta-log", e as OktaLogEvent, at);

  it("are unique by event uuid and ordered by `published`, not by persistence", () => {
    const late = oktaLogEvent({
      eventType: "user.lifecycle.deactivate",
      userId: "00u1",
      published: "2026-12-07T11:59:00Z",
    });
    const early = oktaLogEvent({
      eventType: "user.lifecycle.suspend",
      userId: "00u2",
      published: "2026-12-07T11:58:00Z",
    });
    const ids = pageSignals([late, early, late], toSignal, new Date(NOW)).map((s) => s.eventId);
    expect(ids).toEqual([early.uuid, late.uuid]);
  });

  it("leave out failed outcomes and event types that are not signals", () => {
    const failed = oktaLogEvent({
      eventType: "user.lifecycle.deactivate",
      userId: "00u1",
      result: "FAILURE",
    });
    const other = oktaLogEvent({ eventType: "user.session.start", userId: "00u1" });
    expect(pageSignals([failed, other], toSignal, new Date(NOW))).toEqual([]);
  });
});

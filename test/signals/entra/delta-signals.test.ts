// What each Graph delta entry means for access (pure): the table of issue #11's Entra channel.
import { groupSignals, leaveDateOf, userSignal } from "../../../src/signals/entra/delta-signals";
import { parseRetryAfter } from "../../../src/signals/entra/graph-client";

const ctx = { tenant: "t", roundId: "r1", observedAt: "2026-12-07T10:00:00.000Z" };

test.each([
  ["a disabled account is a disable", { id: "u", accountEnabled: false }, "disabled"],
  ["a soft-deleted user is a delete", { id: "u", "@removed": { reason: "changed" } }, "deleted"],
  ["a hard-deleted user is a delete", { id: "u", "@removed": { reason: "deleted" } }, "deleted"],
  ["an enabled account confirms the person active", { id: "u", accountEnabled: true }, "confirmed_active"],
  ["a change that leaves accountEnabled out says nothing", { id: "u", userPrincipalName: "x" }, null],
])("%s", (_rule, entry, kind) => {
  const signal = userSignal(entry, ctx);
  expect(signal?.kind ?? null).toBe(kind);
  if (signal) {
    expect(signal.eventId).toBe(`u:r1:${kind}`);
    expect(JSON.stringify(signal.evidence)).not.toContain("userPrincipalName");
  }
});

test("only removed members of a group entry become membership removals, with the group id", () => {
  const entry = {
    id: "g1",
    "members@delta": [{ id: "a" }, { id: "b", "@removed": { reason: "deleted" } }],
  };
  expect(groupSignals(entry, ctx)).toEqual([
    expect.objectContaining({
      kind: "membership_removed",
      subject: "b",
      groupId: "g1",
      eventId: "b:g1:r1:membership_removed",
    }),
  ]);
});

test("leave dates: an instant, a cleared value, a removed user, and an entry that does not say", () => {
  expect(leaveDateOf({ id: "u", employeeLeaveDateTime: "2027-01-31T16:00:00Z" })).toEqual({
    subject: "u",
    at: "2027-01-31T16:00:00.000Z",
  });
  expect(leaveDateOf({ id: "u", employeeLeaveDateTime: null })).toEqual({ subject: "u", at: null });
  expect(leaveDateOf({ id: "u", "@removed": { reason: "changed" } })).toEqual({ subject: "u", at: null });
  expect(leaveDateOf({ id: "u", accountEnabled: true })).toBeNull();
});

test("Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3)", () => {
  const now = Date.parse("2026-12-07T10:00:00Z");
  expect(parseRetryAfter("7", now)).toBe(7000);
  expect(parseRetryAfter("Mon, 07 Dec 2026 10:00:30 GMT", now)).toBe(30_000);
  expect(parseRetryAfter(null, now)).toBeNull();
  expect(parseRetryAfter("soon", now)).toBeNull();
});

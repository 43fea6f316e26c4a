// The pure decisions of the signals core, table-driven: which Okta events and ISC payloads are signals,
// how a hold suspends or suppresses, and the constant-time credential check.
import { configSchema } from "../../src/config/config-schema";
import { resolveHookSettings } from "../../src/signals/hook-settings";
import { oktaEventToSignal } from "../../src/signals/okta-event-kinds";
import { sailpointPayloadToSignals } from "../../src/signals/sailpoint-trigger-kinds";
import { expectedAuthorization, secretMatches } from "../../src/signals/secret-matches";
import {
  activeSuspension,
  type HeldSignal,
  type SignalHold,
  unsuppressedGroups,
} from "../../src/signals/signal-hold";
import { oktaLogEvent } from "../fakes/okta/event-hook-sender";
import {
  identityAttributesChanged,
  identityDeleted,
  provisioningCompleted,
} from "../fakes/sailpoint/trigger-sender";

const now = new Date("2026-12-07T12:00:00Z");

describe("Okta event types → signal kinds", () => {
  it.each([
    ["user.lifecycle.deactivate", "disabled"],
    ["user.lifecycle.suspend", "suspended"],
    ["user.lifecycle.delete.initiated", "deleted"],
    ["user.session.clear", "sessions_revoked"],
    ["user.session.end", "sessions_revoked"],
    ["user.lifecycle.activate", "confirmed_active"],
    ["user.lifecycle.reactivate", "confirmed_active"],
    ["user.lifecycle.unsuspend", "confirmed_active"],
  ])("%s is %s", (eventType, kind) => {
    const signal = oktaEventToSignal("t", "okta-hook", oktaLogEvent({ eventType, userId: "00u1" }), now);
    expect(signal).toMatchObject({ kind, subject: "00u1", evidence: { eventType, oktaUserId: "00u1" } });
  });

  it("a membership removal names the group; without a group target it is no signal", () => {
    const removal = oktaLogEvent({
      eventType: "group.user_membership.remove",
      userId: "00u1",
      groupId: "00g9",
    });
    expect(oktaEventToSignal("t", "okta-log", removal, now)).toMatchObject({
      kind: "membership_removed",
      groupId: "00g9",
    });
    const bare = oktaLogEvent({ eventType: "group.user_membership.remove", userId: "00u1" });
    expect(oktaEventToSignal("t", "okta-log", bare, now)).toBeNull();
  });

  it.each([
    ["an event type keybridge does not act on", { eventType: "user.account.update_profile", userId: "00u1" }],
    [
      "a failed outcome",
      { eventType: "user.lifecycle.deactivate", userId: "00u1", result: "FAILURE" as const },
    ],
    ["an inherited property name", { eventType: "toString", userId: "00u1" }],
  ])("%s is no signal", (_what, spec) => {
    expect(oktaEventToSignal("t", "okta-hook", oktaLogEvent(spec), now)).toBeNull();
  });

  it("evidence carries ids and types only, never the names or emails of the event", () => {
    const signal = oktaEventToSignal(
      "t",
      "okta-hook",
      oktaLogEvent({ eventType: "user.lifecycle.suspend", userId: "00u1" }),
      now,
    );
    expect(JSON.stringify(signal)).not.toMatch(/@|A Person|Admin/);
  });
});

describe("SailPoint ISC trigger payloads → signals", () => {
  const signals = (payload: Record<string, unknown>) =>
    sailpointPayloadToSignals("t", payload, JSON.stringify(payload), now);

  it.each([
    ["inactive", "disabled"],
    ["terminated", "deleted"],
    ["active", "confirmed_active"],
  ])("lifecycle state → %s is %s", (state, kind) => {
    expect(signals(identityAttributesChanged("id1", "x", state, "inv1"))).toEqual([
      expect.objectContaining({ kind, subject: "id1", eventId: "inv1", channel: "sailpoint" }),
    ]);
  });

  it("another attribute change, or an unknown state, is no signal", () => {
    const payload = identityAttributesChanged("id1", "a", "b");
    expect(
      signals({ ...payload, changes: [{ attribute: "department", oldValue: "a", newValue: "b" }] }),
    ).toEqual([]);
    expect(signals(identityAttributesChanged("id1", "active", "leave-of-absence"))).toEqual([]);
  });

  it("Identity Deleted deletes; Provisioning Completed removes each removed group, one event id each", () => {
    expect(signals(identityDeleted("id1", "inv2"))).toEqual([
      expect.objectContaining({ kind: "deleted", eventId: "inv2" }),
    ]);
    const removal = signals(provisioningCompleted("id1", ["g1", "g2"], "inv3"));
    expect(removal.map((s) => [s.kind, s.groupId, s.eventId])).toEqual([
      ["membership_removed", "g1", "inv3:g1"],
      ["membership_removed", "g2", "inv3:g2"],
    ]);
  });

  it("without an invocation id, an identical redelivery gets the same event id", () => {
    const { _metadata, ...bare } = identityDeleted("id1");
    expect(signals(bare)[0]?.eventId).toBe(signals({ ...bare })[0]?.eventId);
  });
});

describe("a hold", () => {
  const held = (kind: HeldSignal["kind"], atMs: number): HeldSignal => ({
    channel: "okta-hook",
    eventId: `${kind}-${atMs}`,
    kind,
    occurredAt: new Date(atMs).toISOString(),
    occurredAtMs: atMs,
    receivedAt: now.toISOString(),
    evidence: {},
  });
  const hold = (extra: Partial<SignalHold>): SignalHold => ({ groups: {}, ...extra });

  it.each([
    ["suspends whatever SCIM says", hold({ suspension: held("disabled", 10) }), true, true],
    [
      "is lifted by a later confirmation while SCIM says active",
      hold({ suspension: held("disabled", 10), confirmation: held("confirmed_active", 20) }),
      true,
      false,
    ],
    [
      "is not lifted by a confirmation while SCIM says inactive",
      hold({ suspension: held("disabled", 10), confirmation: held("confirmed_active", 20) }),
      false,
      true,
    ],
    [
      "is not lifted by an earlier confirmation",
      hold({ suspension: held("disabled", 30), confirmation: held("confirmed_active", 20) }),
      true,
      true,
    ],
  ])("%s", (_rule, h, scimActive, suspended) => {
    expect(activeSuspension(h, scimActive) !== undefined).toBe(suspended);
  });

  it("suppresses a group by its externalId or its SCIM id, and never by an inherited name", () => {
    const groups = [
      { id: "a", externalId: "ext-a", displayName: "A" },
      { id: "b", displayName: "B" },
      { id: "c", externalId: "constructor", displayName: "C" },
    ];
    const h = hold({ groups: { "ext-a": held("membership_removed", 1), b: held("membership_removed", 1) } });
    expect(unsuppressedGroups(groups, h).map((g) => g.id)).toEqual(["c"]);
  });
});

describe("hook credentials", () => {
  it("match only the exact configured value", () => {
    expect(secretMatches("s3cret", "s3cret")).toBe(true);
    expect(secretMatches("s3cret ", "s3cret")).toBe(false);
    expect(secretMatches(undefined, "s3cret")).toBe(false);
    expect(secretMatches("", "")).toBe(false);
  });

  it("ISC basic auth is the base64 of user:password", () => {
    expect(expectedAuthorization("basic", "isc:pw")).toBe(
      `Basic ${Buffer.from("isc:pw").toString("base64")}`,
    );
    expect(expectedAuthorization("bearer", "tok")).toBe("Bearer tok");
  });
});

describe("hook settings", () => {
  const config = (secrets: Record<string, string>) =>
    configSchema.parse({
      tenants: [
        {
          id: "okta",
          displayName: "Okta",
          kind: "okta",
          signals: { oktaHook: { secretName: "OKTA_HOOK" } },
        },
        {
          id: "isc",
          displayName: "ISC",
          kind: "sailpoint",
          signals: {
            joinKey: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
            sailpoint: { auth: "basic", secretName: "ISC" },
          },
        },
      ],
      secrets,
    });

  it("refuse to start when a named secret is missing", () => {
    expect(() => resolveHookSettings(config({ OKTA_HOOK: "x" }))).toThrow(/KEYBRIDGE_SECRET_ISC is not set/);
  });

  it("resolve the header and value each receiver checks", () => {
    const settings = resolveHookSettings(config({ OKTA_HOOK: "x", ISC: "u:p" }));
    expect(settings.okta.get("okta")).toEqual({ header: "authorization", value: "x" });
    expect(settings.sailpoint.get("isc")).toBe(`Basic ${Buffer.from("u:p").toString("base64")}`);
  });
});

// Sends what Okta's Event Hook service sends (idp-signals.md §2.4): the one-time verification GET with
// X-Okta-Verification-Challenge, and POSTs of the documented envelope (`com.okta.event_hook`, CloudEvents
// 0.1, `data.events[]` of System Log LogEvents) with the configured auth header value verbatim.
import { randomUUID } from "node:crypto";

export interface OktaEventSpec {
  eventType: string;
  /** The Okta user id (target type User). */
  userId: string;
  /** For group.user_membership.*: the Okta group id (target type UserGroup). */
  groupId?: string;
  uuid?: string;
  published?: string;
  result?: "SUCCESS" | "FAILURE";
}

/** A System Log LogEvent as Okta delivers it in a hook (only ids, no personal data in these tests). */
export function oktaLogEvent(spec: OktaEventSpec): Record<string, unknown> {
  const target: Array<Record<string, unknown>> = [
    { id: spec.userId, type: "User", alternateId: `${spec.userId}@example.invalid`, displayName: "A Person" },
  ];
  if (spec.groupId)
    target.push({ id: spec.groupId, type: "UserGroup", alternateId: "unknown", displayName: "G" });
  return {
    uuid: spec.uuid ?? randomUUID(),
    published: spec.published ?? new Date().toISOString(),
    eventType: spec.eventType,
    version: "0",
    displayMessage: spec.eventType,
    severity: "INFO",
    actor: { id: "00uadmin", type: "User", alternateId: "admin@example.invalid", displayName: "Admin" },
    outcome: { result: spec.result ?? "SUCCESS", reason: null },
    target,
    transaction: { type: "WEB", id: randomUUID() },
  };
}

export function oktaHookEnvelope(events: Array<Record<string, unknown>>): Record<string, unknown> {
  return {
    eventType: "com.okta.event_hook",
    eventTypeVersion: "1.0",
    cloudEventsVersion: "0.1",
    source: "https://example.okta.invalid/api/v1/eventHooks/whoe1",
    eventId: randomUUID(),
    data: { events },
    eventTime: new Date().toISOString(),
    contentType: "application/json",
  };
}

export interface OktaHookSender {
  verify(challenge: string): Promise<{ status: number; body: unknown }>;
  send(events: Array<Record<string, unknown>>, secret?: string): Promise<{ status: number; ms: number }>;
}

export function oktaHookSender(url: string, auth: { header: string; secret: string }): OktaHookSender {
  return {
    async verify(challenge) {
      const res = await fetch(url, {
        headers: { "x-okta-verification-challenge": challenge, [auth.header]: auth.secret },
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    async send(events, secret = auth.secret) {
      const started = Date.now();
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", [auth.header]: secret },
        body: JSON.stringify(oktaHookEnvelope(events)),
      });
      await res.text();
      return { status: res.status, ms: Date.now() - started };
    },
  };
}

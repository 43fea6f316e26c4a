// Okta System Log `LogEvent` records as the org fake serves them, in the shape of Okta's System Log API
// reference (developer.okta.com/docs/reference/api/system-log/#logevent-object): uuid, published,
// eventType, outcome, actor, target[] (type `User` / `UserGroup`), transaction, debugContext.
import { randomUUID } from "node:crypto";

export interface OktaLogTarget {
  id: string;
  type: string;
  alternateId: string;
  displayName: string;
  detailEntry: null;
}

export interface OktaLogEvent {
  uuid: string;
  published: string;
  eventType: string;
  version: string;
  severity: "DEBUG" | "INFO" | "WARN" | "ERROR";
  legacyEventType: string | null;
  displayMessage: string;
  actor: { id: string; type: string; alternateId: string; displayName: string; detailEntry: null };
  client: { userAgent: null; zone: string; device: string; id: null; ipAddress: string };
  outcome: {
    result: "SUCCESS" | "FAILURE" | "SKIPPED" | "ALLOW" | "DENY" | "CHALLENGE" | "UNKNOWN";
    reason: string | null;
  };
  target: OktaLogTarget[];
  transaction: { type: string; id: string; detail: Record<string, unknown> };
  debugContext: { debugData: Record<string, string> };
  authenticationContext: { authenticationStep: number; externalSessionId: string };
  securityContext: Record<string, null>;
}

/** What a test says about an event; the rest is filled in as Okta would. */
export interface LogEventSpec {
  eventType: string;
  userId: string;
  /** The group of a group.user_membership.* event (a second target of type UserGroup). */
  groupId?: string;
  uuid?: string;
  /** ISO time Okta says it happened (default: now); may be earlier than events persisted before it. */
  published?: string;
  result?: OktaLogEvent["outcome"]["result"];
}

const MESSAGES: Record<string, string> = {
  "user.lifecycle.deactivate": "Deactivate Okta user",
  "user.lifecycle.suspend": "Suspend Okta user",
  "user.lifecycle.delete.initiated": "Delete Okta user",
  "user.lifecycle.reactivate": "Reactivate Okta user",
  "user.lifecycle.activate": "Activate Okta user",
  "user.lifecycle.unsuspend": "Unsuspend Okta user",
  "group.user_membership.remove": "Remove user from group membership",
  "group.user_membership.add": "Add user to group membership",
  "user.session.clear": "Clear user session",
  "user.session.end": "User logout from Okta",
};

function target(id: string, type: string): OktaLogTarget {
  const name = type === "User" ? `user-${id}` : `group-${id}`;
  return {
    id,
    type,
    alternateId: type === "User" ? `${name}@example.test` : "unknown",
    displayName: name,
    detailEntry: null,
  };
}

export function oktaLogEvent(spec: LogEventSpec, now: Date = new Date()): OktaLogEvent {
  const targets = [target(spec.userId, "User")];
  if (spec.groupId) targets.push(target(spec.groupId, "UserGroup"));
  return {
    uuid: spec.uuid ?? randomUUID(),
    published: spec.published ?? now.toISOString(),
    eventType: spec.eventType,
    version: "0",
    severity: "INFO",
    legacyEventType: null,
    displayMessage: MESSAGES[spec.eventType] ?? spec.eventType,
    actor: {
      id: "00u1admin0000000000",
      type: "User",
      alternateId: "admin@example.test",
      displayName: "Org Admin",
      detailEntry: null,
    },
    client: { userAgent: null, zone: "null", device: "Unknown", id: null, ipAddress: "127.0.0.1" },
    outcome: { result: spec.result ?? "SUCCESS", reason: null },
    target: targets,
    transaction: { type: "WEB", id: randomUUID().replaceAll("-", "").slice(0, 20), detail: {} },
    debugContext: { debugData: {} },
    authenticationContext: { authenticationStep: 0, externalSessionId: "unknown" },
    securityContext: { asNumber: null, asOrg: null, isp: null, domain: null, isProxy: null },
  };
}

// Which SailPoint ISC event trigger payloads are revocation signals (idp-signals.md §3.4): Identity
// Attributes Changed with the lifecycle state moving to inactive/terminated (or back to active),
// Identity Deleted, and Provisioning Completed's `Remove` operations on group entitlements. Pure.
import { createHash } from "node:crypto";
import type { IdpSignal, SignalKind } from "./idp-signal";

export const SAILPOINT_TRIGGERS = {
  attributesChanged: "idn:identity-attributes-changed",
  identityDeleted: "idn:identity-deleted",
  provisioningCompleted: "idn:post-provisioning",
} as const;

const LIFECYCLE_ATTRIBUTES = new Set(["cloudLifecycleState", "lifecycleState"]);
const LIFECYCLE_KINDS: Readonly<Record<string, SignalKind>> = {
  inactive: "disabled",
  terminated: "deleted",
  active: "confirmed_active",
};
/** Entitlement attributes of the SCIM 2.0 connectors whose removal means "left this group". */
const GROUP_ATTRIBUTES = new Set(["groups"]);

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const list = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj) : []);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** Which trigger sent the payload: ISC's `_metadata.triggerId`, else the payload's shape. */
export function sailpointTriggerOf(payload: Json): string | undefined {
  const id = str(obj(payload._metadata).triggerId);
  if (id) return id;
  if (Array.isArray(payload.accountRequests)) return SAILPOINT_TRIGGERS.provisioningCompleted;
  if (Array.isArray(payload.changes)) return SAILPOINT_TRIGGERS.attributesChanged;
  if (payload.identity) return SAILPOINT_TRIGGERS.identityDeleted;
  return undefined;
}

/** ISC's invocation id; without one, a digest of the payload so an identical redelivery dedupes. */
export function sailpointEventId(payload: Json, raw: string): string {
  return (
    str(obj(payload._metadata).invocationId) ?? `sha256-${createHash("sha256").update(raw).digest("hex")}`
  );
}

/** The signals one trigger invocation carries (none when it is not about access going away or back). */
export function sailpointPayloadToSignals(
  tenant: string,
  payload: Json,
  raw: string,
  receivedAt: Date,
): IdpSignal[] {
  const trigger = sailpointTriggerOf(payload);
  const eventId = sailpointEventId(payload, raw);
  const base = { tenant, channel: "sailpoint" as const, occurredAt: receivedAt.toISOString() };
  if (trigger === SAILPOINT_TRIGGERS.identityDeleted) {
    const subject = str(obj(payload.identity).id);
    if (!subject) return [];
    return [{ ...base, eventId, kind: "deleted", subject, evidence: { trigger, identityId: subject } }];
  }
  if (trigger === SAILPOINT_TRIGGERS.attributesChanged) {
    const subject = str(obj(payload.identity).id);
    const change = list(payload.changes).find((c) => LIFECYCLE_ATTRIBUTES.has(String(c.attribute)));
    const state = String(change?.newValue ?? "").toLowerCase();
    if (!subject || !change || !Object.hasOwn(LIFECYCLE_KINDS, state)) return [];
    const kind = LIFECYCLE_KINDS[state] as SignalKind;
    return [
      { ...base, eventId, kind, subject, evidence: { trigger, identityId: subject, lifecycleState: state } },
    ];
  }
  if (trigger === SAILPOINT_TRIGGERS.provisioningCompleted)
    return provisioningRemovals(base, payload, eventId);
  return [];
}

function provisioningRemovals(
  base: Pick<IdpSignal, "tenant" | "channel" | "occurredAt">,
  payload: Json,
  eventId: string,
): IdpSignal[] {
  const subject = str(obj(payload.recipient).id);
  if (!subject) return [];
  const out: IdpSignal[] = [];
  for (const request of list(payload.accountRequests)) {
    if (request.provisioningResult === "FAILED") continue;
    for (const attr of list(request.attributeRequests)) {
      const groupId = str(attr.attributeValue);
      if (
        String(attr.operation) !== "Remove" ||
        !GROUP_ATTRIBUTES.has(String(attr.attributeName)) ||
        !groupId
      )
        continue;
      out.push({
        ...base,
        // One invocation may remove several groups: each is its own idempotent signal.
        eventId: `${eventId}:${groupId}`,
        kind: "membership_removed",
        subject,
        groupId,
        evidence: { trigger: SAILPOINT_TRIGGERS.provisioningCompleted, identityId: subject, groupId },
      });
    }
  }
  return out;
}

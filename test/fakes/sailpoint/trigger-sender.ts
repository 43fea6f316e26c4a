// Sends what SailPoint ISC's event trigger service sends to an HTTP subscription (idp-signals.md §3.4):
// the trigger's input payload with `_metadata` (invocation and trigger ids), authenticated as the
// subscription's httpAuthenticationType says — BEARER_TOKEN or BASIC_AUTH.
import { randomUUID } from "node:crypto";

export type IscAuth = { kind: "bearer"; token: string } | { kind: "basic"; user: string; password: string };

function metadata(triggerId: string, invocationId?: string) {
  return {
    _metadata: { invocationId: invocationId ?? randomUUID(), triggerId, triggerType: "FIRE_AND_FORGET" },
  };
}

export function identityAttributesChanged(
  identityId: string,
  from: string,
  to: string,
  invocationId?: string,
) {
  return {
    identity: { id: identityId, name: "a.person", type: "IDENTITY" },
    changes: [{ attribute: "cloudLifecycleState", oldValue: from, newValue: to }],
    ...metadata("idn:identity-attributes-changed", invocationId),
  };
}

export function identityDeleted(identityId: string, invocationId?: string) {
  return {
    identity: { id: identityId, name: "a.person", type: "IDENTITY" },
    attributes: { firstname: "A", lastname: "Person", cloudLifecycleState: "terminated" },
    ...metadata("idn:identity-deleted", invocationId),
  };
}

/** Provisioning Completed with one `Remove` of each group entitlement value on the SCIM source. */
export function provisioningCompleted(identityId: string, removedGroups: string[], invocationId?: string) {
  return {
    trackingNumber: randomUUID().replaceAll("-", ""),
    sources: "keybridge SCIM",
    action: "IdentityRefresh",
    errors: [],
    warnings: [],
    recipient: { id: identityId, name: "a.person", type: "IDENTITY" },
    requester: null,
    accountRequests: [
      {
        source: { id: "2c9180835d191a86015d28455b4a2329", name: "keybridge SCIM", type: "SOURCE" },
        accountId: "CN=A Person",
        accountOperation: "Modify",
        provisioningResult: "SUCCESS",
        provisioningTarget: "keybridge SCIM",
        ticketId: null,
        attributeRequests: removedGroups.map((g) => ({
          attributeName: "groups",
          attributeValue: g,
          operation: "Remove",
        })),
      },
    ],
    ...metadata("idn:post-provisioning", invocationId),
  };
}

export function authorization(auth: IscAuth): string {
  return auth.kind === "bearer"
    ? `Bearer ${auth.token}`
    : `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString("base64")}`;
}

export async function sendTrigger(url: string, auth: IscAuth, payload: unknown): Promise<number> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: authorization(auth) },
    body: JSON.stringify(payload),
  });
  await res.text();
  return res.status;
}

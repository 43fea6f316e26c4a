// The SCIM audit record a directory write appends to its tenant's audit outbox, in the same script as
// the write: a change and its audit record commit together (ARCHITECTURE §2, issue #9 item 6).
// Pure: the script fills in the persons it bumped (with their generations) and picks the type.
import { type AuditType, auditTypes } from "../audit/audit-catalog";
import type { AuditIdentity } from "../audit/audit-identity";
import type { DirectoryChange, PersonChangeKind } from "./directory-change";
import { type DirectoryResource, redisKeys } from "./redis-keys";

/** What the edge did, as the write's audit record says it. */
export interface WriteAudit {
  correlationId: string;
  operation: DirectoryChange["operation"];
  /** How provisioning sees each person this write bumps. */
  kind: PersonChangeKind;
  /** Users: the userName/externalId the write stored (docs/audit.md: data.userName on SCIM user records). */
  identity?: AuditIdentity;
}

const USER_CHANGE_TYPES: Record<PersonChangeKind, AuditType> = {
  created: auditTypes.scimUserCreated,
  updated: auditTypes.scimUserUpdated,
  activated: auditTypes.scimUserActivated,
  deactivated: auditTypes.scimUserDeactivated,
  membership: auditTypes.scimUserUpdated,
  deleted: auditTypes.scimUserDeleted,
};

/** [type when the write bumped persons, type when it bumped none]. */
function types(resource: DirectoryResource, audit: WriteAudit): [AuditType, AuditType] {
  if (resource === "user") {
    const type = USER_CHANGE_TYPES[audit.kind];
    return [type, type];
  }
  if (audit.operation === "create") return [auditTypes.scimGroupCreated, auditTypes.scimGroupCreated];
  if (audit.operation === "delete") return [auditTypes.scimGroupDeleted, auditTypes.scimGroupDeleted];
  return [auditTypes.scimMembershipChanged, auditTypes.scimGroupUpdated];
}

/** The `audit` part of a save or delete plan (save-script.ts appends it as `<seq>|<event JSON>`). */
export function outboxPlan(
  tenant: string,
  resource: DirectoryResource,
  id: string,
  at: Date,
  audit: WriteAudit,
): Record<string, unknown> {
  const [typeWith, typeWithout] = types(resource, audit);
  return {
    key: redisKeys.auditOutbox(tenant),
    seqKey: redisKeys.auditOutboxSeq(tenant),
    kind: audit.kind,
    typeWith,
    typeWithout,
    event: {
      tenant,
      actor: `idp:${tenant}`,
      subject: { kind: resource === "user" ? "person" : "group", id },
      correlationId: audit.correlationId,
      outcome: "success",
      data: { operation: audit.operation, at: at.toISOString(), ...audit.identity },
    },
  };
}

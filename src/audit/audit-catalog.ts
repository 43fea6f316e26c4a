// The catalog of audit event types: one constant per type and a one-line meaning each. docs/audit.md
// lists every entry (test/audit/audit-catalog-docs.test.ts keeps the two in step), and AuditTrail
// refuses a type that is not here, so a misspelt type fails loudly instead of hiding from searches.

export const auditTypes = {
  // --- SCIM changes (scim/) -------------------------------------------------------------------
  scimUserCreated: "scim.user.created",
  scimUserUpdated: "scim.user.updated",
  scimUserActivated: "scim.user.activated",
  scimUserDeactivated: "scim.user.deactivated",
  scimUserDeleted: "scim.user.deleted",
  scimGroupCreated: "scim.group.created",
  scimGroupUpdated: "scim.group.updated",
  scimGroupDeleted: "scim.group.deleted",
  scimMembershipChanged: "scim.membership.changed",
  // --- decisions (mapping/, access/, reconcile/) ----------------------------------------------
  accessDesiredChanged: "access.desired_changed",
  accessPlanComputed: "access.plan_computed",
  accessObserveOnlyPlan: "access.observe_only_plan",
  accessNeedsAttention: "access.needs_attention",
  workItemClosed: "work_item.closed",
  // --- driver calls and results (reconcile/ around drivers/) -----------------------------------
  driverCall: "driver.call",
  driverResult: "driver.result",
  driverError: "driver.error",
  // --- effect states (the grant ledger) -------------------------------------------------------
  grantRequested: "grant.requested",
  grantPending: "grant.pending",
  grantEffective: "grant.effective",
  grantFailed: "grant.failed",
  grantManualAction: "grant.manual_action",
  revocationRequested: "revocation.requested",
  revocationPending: "revocation.pending",
  revocationEffective: "revocation.effective",
  revocationFailed: "revocation.failed",
  revocationManualAction: "revocation.manual_action",
  // --- scheduling (reconcile/) ----------------------------------------------------------------
  revocationScheduled: "revocation.scheduled",
  revocationRescheduled: "revocation.rescheduled",
  revocationCancelled: "revocation.cancelled",
  grantScheduled: "grant.scheduled",
  resyncStarted: "resync.started",
  resyncCompleted: "resync.completed",
  // --- operator actions (cli/) ----------------------------------------------------------------
  operatorReconcileRequested: "operator.reconcile_requested",
  operatorResyncRequested: "operator.resync_requested",
  operatorAttentionCleared: "operator.attention_cleared",
  operatorManualActionDone: "operator.manual_action_done",
  operatorSystemPaused: "operator.system_paused",
  operatorSystemResumed: "operator.system_resumed",
  operatorAuditExported: "operator.audit_exported",
  // --- IdP signals (signals/) ------------------------------------------------------------------
  signalReceived: "signal.received",
  signalApplied: "signal.applied",
  signalDuplicate: "signal.duplicate",
  signalUnmatched: "signal.unmatched",
  operatorSignalLifted: "operator.signal_lifted",
  // --- system actions -------------------------------------------------------------------------
  systemPaused: "system.paused",
  systemResumed: "system.resumed",
  mappingsLoaded: "mappings.loaded",
  mappingsReloadFailed: "mappings.reload_failed",
  tokensCreated: "tokens.created",
  tokensRevoked: "tokens.revoked",
} as const;

export type AuditType = (typeof auditTypes)[keyof typeof auditTypes];

/** One line per type: what happened when a record of this type exists. */
export const auditMeanings: Readonly<Record<AuditType, string>> = {
  "scim.user.created": "An IdP created a user over SCIM (POST /Users); data.userName is the login name.",
  "scim.user.updated": "An IdP changed a user's attributes (PUT or PATCH) without changing `active`.",
  "scim.user.activated": "An IdP set `active` to true on an existing user.",
  "scim.user.deactivated": "An IdP set `active` to false: every grant of the person is to be revoked.",
  "scim.user.deleted":
    "An IdP deleted a user (DELETE /Users/{id}): every grant of the person is to be revoked.",
  "scim.group.created": "An IdP created a group.",
  "scim.group.updated": "An IdP renamed or otherwise changed a group's attributes.",
  "scim.group.deleted": "An IdP deleted a group; its members' access is recomputed.",
  "scim.membership.changed": "Members were added to or removed from a group; data lists the person ids.",
  "access.desired_changed":
    "The mappings gave a person a different desired access; data.rules names the rules behind it.",
  "access.plan_computed": "A reconcile compared desired and observed grants and planned these changes.",
  "access.observe_only_plan": "A plan computed for a key system in observe mode; nothing was written.",
  "access.needs_attention": "A person was flagged as needing an operator (permanent error or manual action).",
  "work_item.closed":
    "A work item closed itself: the key system shows its condition met (data.reason, e.g. credential_returned).",
  "driver.call": "keybridge called a key-system driver operation (grant, revoke, observe...).",
  "driver.result": "A driver operation returned; data holds the change result and exposureUntil.",
  "driver.error": "A driver operation failed; data.kind is the DriverError kind, data.code its code.",
  "grant.requested": "A grant was asked of the key system.",
  "grant.pending": "The key system accepted a grant that waits for key programming or propagation.",
  "grant.effective": "A grant is in force: the person's key opens the profile's locks.",
  "grant.failed": "A grant failed permanently.",
  "grant.manual_action": "A grant needs an operator's action in the key system (a work item).",
  "revocation.requested": "A revocation was asked of the key system.",
  "revocation.pending":
    "The key system accepted a revocation that waits for programming; data.exposureUntil bounds it.",
  "revocation.effective": "A revocation is in force: the old access no longer opens a door.",
  "revocation.failed": "A revocation failed permanently; the person needs attention.",
  "revocation.manual_action": "A revocation needs an operator's action in the key system (a work item).",
  "revocation.scheduled": "A future end of validity became a delayed revocation; data.at is when.",
  "revocation.rescheduled": "A scheduled revocation was re-timed because the end date changed.",
  "revocation.cancelled": "A scheduled revocation was cancelled because the end date was cleared.",
  "grant.scheduled": "A future start of validity delays a grant; data.at is when.",
  "resync.started": "A full resync of a key system began (schedule, start-up or operator).",
  "resync.completed": "A full resync finished; data counts the persons enqueued.",
  "operator.reconcile_requested": "An operator asked to reconcile one person now.",
  "operator.resync_requested": "An operator asked for a full resync of a key system.",
  "operator.attention_cleared": "An operator cleared a person's needs-attention flag.",
  "operator.manual_action_done": "An operator marked a manual-action work item as done.",
  "operator.system_paused": "An operator paused a key system's queue.",
  "operator.system_resumed": "An operator resumed a key system's queue.",
  "operator.audit_exported": "An operator exported audit records; data holds the filter and the count.",
  "signal.received":
    "An IdP signal arrived and was kept as evidence only (sessions revoked, nothing to confirm, or older than the one held).",
  "signal.applied":
    "An IdP signal suspended a person, suppressed one of their groups, or confirmed them active; a reconcile follows with the same correlation id.",
  "signal.duplicate": "An IdP signal arrived again (same channel and event id); nothing changed.",
  "signal.unmatched":
    "An IdP signal named no person (or several) by the tenant's join key; data.subject is the IdP's id. Nothing changed.",
  "operator.signal_lifted":
    "An operator lifted what IdP signals held against a person (suspension, suppressed groups).",
  "system.paused": "keybridge paused a key system itself (systemic driver error, e.g. credentials rejected).",
  "system.resumed": "keybridge resumed a key system it had paused.",
  "mappings.loaded": "Mapping files were loaded; data.digest identifies their content.",
  "mappings.reload_failed": "Mapping files failed validation; the previous mappings stay in force.",
  "tokens.created": "A SCIM bearer token was created for a tenant (the token itself is never recorded).",
  "tokens.revoked": "A SCIM bearer token of a tenant was revoked.",
};

const knownTypes: ReadonlySet<string> = new Set(Object.values(auditTypes));

export function isAuditType(type: string): type is AuditType {
  return knownTypes.has(type);
}

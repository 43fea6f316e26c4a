// The seam between the directory and provisioning: every committed SCIM request that can alter
// someone's access is reported through one DirectoryChangeHook call, after the commit.
//
// Durability does not rest on the hook: in the same atomic step as the change, the store bumps the
// person's generation and adds them to the tenant's dirty set (redisKeys.dirtyPersons). The pipeline
// removes a person from that set only after reconciling that generation, and re-enqueues stale
// entries, so a change is never lost even if the hook's enqueue fails or the process dies.

export type PersonChangeKind =
  | "created"
  | "updated" // attribute change that may alter access
  | "activated"
  | "deactivated"
  | "membership" // joined or left a group
  | "deleted";

export interface PersonChange {
  personId: string;
  kind: PersonChangeKind;
  /** The person's generation after this change. */
  generation: number;
}

export interface DirectoryChange {
  tenant: string;
  /** The SCIM request's correlation id (x-request-id or generated), carried into jobs and audit. */
  correlationId: string;
  /** What the IdP did, for the audit trail. */
  resourceType: "User" | "Group";
  resourceId: string;
  operation: "create" | "replace" | "patch" | "delete";
  /** One entry per affected person (a group PATCH may touch many). */
  persons: PersonChange[];
  at: string;
}

export type DirectoryChangeHook = (change: DirectoryChange) => Promise<void>;

/** The default hook before the pipeline is wired in. */
export const ignoreDirectoryChange: DirectoryChangeHook = async () => {};

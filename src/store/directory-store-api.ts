// The directory's write and query API, as the SCIM edge calls it. The Redis implementation lives in
// directory-store.ts; this file is the agreement between src/scim/ and src/store/.
//
// Rules the implementation keeps:
//  - every method is scoped by tenant; nothing crosses tenants;
//  - every write is atomic (MULTI or Lua) and bumps meta.version; concurrent writers never lose an
//    update (compare-and-set on the version, retried);
//  - a write that can alter a person's access bumps that person's generation and adds them to the
//    tenant's dirty set in the same atomic step, and returns one PersonChange per affected person;
//  - member adds/removes are deltas (SADD/SREM), O(1) in group size; members are loaded only on request;
//  - failures of Redis surface as BridgeError("Unavailable"); missing resources as BridgeError("NotFound"),
//    version mismatch as "PreconditionFailed", userName/displayName clash as "Conflict".
import type { PersonChange } from "./directory-change";
import type { GroupRef, StoredUser } from "./directory-types";

/** A User as the edge hands it over: validated, normalised, without id/meta (the store assigns them). */
export type UserInput = Omit<StoredUser, "id" | "meta">;

export interface StoredGroup {
  schemas: string[];
  id: string;
  externalId?: string;
  displayName: string;
  meta: { resourceType: "Group"; created: string; lastModified: string; version: string; location?: string };
  [attribute: string]: unknown;
}

export type GroupInput = Omit<StoredGroup, "id" | "meta">;

export interface GroupWithMembers {
  group: StoredGroup;
  /** Member user ids, only when asked for. */
  members?: string[];
  /** With members: each member's display (member-displays.ts); ids without an entry are absent. */
  displays?: Map<string, string>;
}

/**
 * A comparison no index answers (RFC 7644 §3.4.2.2 semantics), checked on loaded resources: on the
 * candidates of an indexed term of the same branch, or on every resource; the resources one filter
 * checks this way, across all its OR branches, number at most ListQuery.scanMax.
 */
export interface ScanTerm {
  attr: "scan";
  /** Keys in the stored resource: [attribute] or [attribute, sub], prefixed by the extension URN. */
  path: string[];
  op: "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "ge" | "lt" | "le" | "pr";
  value?: string | number | boolean | null;
  negated: boolean;
  /** How values compare: strings case-insensitively unless caseExact (RFC 7643 §2.2), dates as instants. */
  compare: "string" | "caseExact" | "dateTime" | "boolean";
}

/** One indexed comparison, or a bounded scan term. Anything else is 400 invalidFilter. */
export type FilterTerm =
  | { attr: "id" | "userName" | "externalId" | "displayName"; op: "eq" | "sw" | "co"; value: string }
  | { attr: "emails.value" | "emails.work.value" | "manager" | "members"; op: "eq"; value: string }
  | { attr: "meta.lastModified"; op: "gt" | "ge" | "lt" | "le"; value: string }
  | { attr: "active"; op: "eq"; value: boolean }
  | ScanTerm;

/** Disjunctive normal form: OR of ANDs. `null` means no filter. */
export type Filter = FilterTerm[][] | null;

export interface ListQuery {
  filter: Filter;
  /** 1-based (RFC 7644 §3.4.2.4). */
  startIndex: number;
  count: number;
  /** Most resources the whole filter may check for scan terms (default 1,000); beyond: InvalidValue. */
  scanMax?: number;
  /**
   * About how many bytes of stored resources one page may carry (scim.limits.pageMaxBytes); the page
   * ends early when the next resource would pass it, but always holds at least one. Unbounded if unset.
   */
  maxBytes?: number;
}

export interface ListResult<T> {
  totalResults: number;
  resources: T[];
  /** Estimated bytes of the resources returned (stored size), for a caller filling one page in parts. */
  bytes?: number;
}

export interface WriteContext {
  correlationId: string;
  /** For If-Match (RFC 7644 §3.14): the version the client saw; mismatch → PreconditionFailed. */
  ifMatch?: string;
}

export interface WriteResult<T> {
  resource: T;
  changes: PersonChange[];
}

export interface MemberDelta {
  add?: string[];
  remove?: string[];
  /** Replace the whole member list (Okta full push, PUT); add/remove are ignored when set. */
  replaceAll?: string[];
}

export interface DirectoryStore {
  createUser(tenant: string, input: UserInput, ctx: WriteContext): Promise<WriteResult<StoredUser>>;
  replaceUser(
    tenant: string,
    id: string,
    input: UserInput,
    ctx: WriteContext,
  ): Promise<WriteResult<StoredUser>>;
  /**
   * Read-modify-write with compare-and-set; `mutate` may run more than once under contention. `seen`,
   * the user as the caller just read it, stands in for the store's first read (a stale copy only
   * costs a retry: the write is compare-and-set on its version).
   */
  updateUser(
    tenant: string,
    id: string,
    mutate: (current: StoredUser) => UserInput,
    ctx: WriteContext,
    seen?: StoredUser,
  ): Promise<WriteResult<StoredUser>>;
  deleteUser(tenant: string, id: string, ctx: WriteContext): Promise<WriteResult<null>>;
  getUser(tenant: string, id: string): Promise<StoredUser | null>;
  queryUsers(tenant: string, query: ListQuery): Promise<ListResult<StoredUser>>;
  /** Groups the user belongs to (for the User `groups` attribute and for mapping). */
  groupsOfUser(tenant: string, userId: string): Promise<GroupRef[]>;

  createGroup(
    tenant: string,
    input: GroupInput,
    members: string[],
    ctx: WriteContext,
  ): Promise<WriteResult<StoredGroup>>;
  replaceGroup(
    tenant: string,
    id: string,
    input: GroupInput,
    members: string[],
    ctx: WriteContext,
  ): Promise<WriteResult<StoredGroup>>;
  /** Member-less attributes only (displayName, externalId…); compare-and-set like updateUser. */
  updateGroup(
    tenant: string,
    id: string,
    mutate: (current: StoredGroup) => GroupInput,
    ctx: WriteContext,
  ): Promise<WriteResult<StoredGroup>>;
  /** Applies a member delta atomically with a version bump; added ids naming no user are skipped. */
  changeMembers(
    tenant: string,
    groupId: string,
    delta: MemberDelta,
    ctx: WriteContext,
  ): Promise<WriteResult<StoredGroup>>;
  deleteGroup(tenant: string, id: string, ctx: WriteContext): Promise<WriteResult<null>>;
  getGroup(tenant: string, id: string, options: { members: boolean }): Promise<GroupWithMembers | null>;
  queryGroups(
    tenant: string,
    query: ListQuery,
    options: { members: boolean },
  ): Promise<ListResult<GroupWithMembers>>;
}

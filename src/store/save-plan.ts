// Builds the plans the save and delete scripts execute: which index members to add and remove, which
// keys to touch, which persons to bump. Pure: the same inputs give the same plan.
import type { BridgeErrorKind } from "../errors/bridge-error";
import { outboxPlan, type WriteAudit } from "./audit-outbox-plan";
import { type IndexEntry, MEMORY_ONLY, lexMember } from "./index-entries";
import { type DirectoryResource, redisKeys } from "./redis-keys";
import type { StagedMembers } from "./stage-members";

/** A key built by redisKeys, split around the id so a script can build it for any id. */
function template(build: (id: string) => string): [string, string] {
  const marker = "\u0001";
  const [pre = "", post = ""] = build(marker).split(marker);
  return [pre, post];
}

export interface MemberPlan {
  add: string[];
  remove: string[];
}

export interface SaveRequest {
  tenant: string;
  resource: DirectoryResource;
  id: string;
  /** -1: create (must not exist); -2: any version; otherwise the version read (compare-and-set). */
  expect: number;
  now: Date;
  /** New canonical body; absent when only members change. */
  body?: string;
  oldEntries?: IndexEntry[];
  newEntries?: IndexEntry[];
  /** Users: the new `active` flag, kept in the active/inactive indexes. */
  active?: boolean;
  /** Users: bump this person's generation. */
  self?: boolean;
  /** Users: the name group answers show for them (member-displays.ts), written with the body. */
  display?: string;
  members?: MemberPlan;
  /** Groups: `members` was sent ahead in these lists (stage-members.ts); the plan carries no ids. */
  staged?: StagedMembers;
  /** Groups: bump every member (the group's name or externalId, which mappings match on, changed). */
  fanout?: boolean;
  /** The SCIM audit record to commit with the write (into the tenant's audit outbox). */
  audit?: WriteAudit;
}

function personKeys(tenant: string, now: Date) {
  const [genPre, genPost] = template((id) => redisKeys.personGeneration(tenant, id));
  return { genPre, genPost, dirty: redisKeys.dirtyPersons(tenant), now: String(now.getTime()) };
}

function indexDiff(req: SaveRequest) {
  const key = (e: IndexEntry) => redisKeys.directoryIndex(req.tenant, req.resource, e.index);
  const member = (e: IndexEntry) => lexMember(e.value, req.id);
  const same = (a: IndexEntry, b: IndexEntry) => a.index === b.index && a.value === b.value;
  const stored = (e: IndexEntry) => !MEMORY_ONLY.has(e.index);
  const oldEntries = (req.oldEntries ?? []).filter(stored);
  const newEntries = (req.newEntries ?? []).filter(stored);
  return {
    zrem: oldEntries.filter((o) => !newEntries.some((n) => same(o, n))).map((e) => [key(e), member(e)]),
    zadd: newEntries.filter((n) => !oldEntries.some((o) => same(o, n))).map((e) => [key(e), member(e)]),
  };
}

export function savePlan(req: SaveRequest): Record<string, unknown> {
  const { tenant, resource } = req;
  const uniqueIndex = resource === "user" ? "userName" : "displayName";
  const unique = (req.newEntries ?? [])
    .filter((e) => e.index === uniqueIndex)
    .map((e) => [redisKeys.directoryIndex(tenant, resource, e.index), e.value, uniqueIndex]);
  const plan: Record<string, unknown> = {
    id: req.id,
    expect: req.expect,
    modified: req.now.toISOString(),
    seqKey: redisKeys.directorySeq(tenant, resource),
    orderKey: redisKeys.directoryOrder(tenant, resource),
    modifiedKey: redisKeys.directoryModified(tenant, resource),
    unique,
    ...indexDiff(req),
    ...personKeys(tenant, req.now),
  };
  if (req.body !== undefined) plan.body = req.body;
  if (req.active !== undefined) {
    const on = req.active ? redisKeys.activeUsers(tenant) : redisKeys.inactiveUsers(tenant);
    const off = req.active ? redisKeys.inactiveUsers(tenant) : redisKeys.activeUsers(tenant);
    Object.assign(plan, { activeOn: on, activeOff: off });
  }
  if (req.self) plan.self = true;
  if (req.display !== undefined) plan.display = [redisKeys.userDisplays(tenant), req.display];
  if (req.fanout) plan.fanout = true;
  if (req.audit) plan.audit = outboxPlan(tenant, resource, req.id, req.now, req.audit);
  if (req.members) {
    const [userPre, userPost] = template((id) => redisKeys.user(tenant, id));
    const [linkPre, linkPost] = template((id) => redisKeys.userGroups(tenant, id));
    const key = redisKeys.groupMembers(tenant, req.id);
    const ids = req.staged ? { add: [], remove: [], staged: req.staged } : req.members;
    plan.members = { ...ids, key, userPre, userPost, linkPre, linkPost };
  }
  return plan;
}

export interface DeleteRequest {
  tenant: string;
  resource: DirectoryResource;
  id: string;
  expect: number;
  now: Date;
  entries: IndexEntry[];
  audit?: WriteAudit;
}

export function deletePlan(req: DeleteRequest): Record<string, unknown> {
  const { tenant, resource, id } = req;
  const zrem = indexDiff({ ...req, oldEntries: req.entries, newEntries: [] }).zrem;
  zrem.push(
    [redisKeys.directoryOrder(tenant, resource), id],
    [redisKeys.directoryModified(tenant, resource), id],
  );
  if (resource === "user")
    zrem.push([redisKeys.activeUsers(tenant), id], [redisKeys.inactiveUsers(tenant), id]);
  const [otherPre, otherPost] =
    resource === "user"
      ? template((gid) => redisKeys.groupMembers(tenant, gid))
      : template((uid) => redisKeys.userGroups(tenant, uid));
  const [groupPre, groupPost] = template((gid) => redisKeys.group(tenant, gid));
  return {
    kind: resource,
    id,
    expect: req.expect,
    modified: req.now.toISOString(),
    zrem,
    links: resource === "user" ? redisKeys.userGroups(tenant, id) : redisKeys.groupMembers(tenant, id),
    otherPre,
    otherPost,
    groupPre,
    groupPost,
    groupModified: redisKeys.directoryModified(tenant, "group"),
    ...(resource === "user" ? { displays: redisKeys.userDisplays(tenant) } : {}),
    ...personKeys(tenant, req.now),
    ...(req.audit ? { audit: outboxPlan(tenant, resource, id, req.now, req.audit) } : {}),
  };
}

/** What a non-OK script reply means for the caller. */
export const SCRIPT_REFUSALS: Record<string, BridgeErrorKind> = {
  GONE: "NotFound",
  CONFLICT: "Conflict",
  EXISTS: "Conflict",
};

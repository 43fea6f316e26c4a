// Creates, updates, re-members and deletes groups. Member changes are deltas applied by one script
// together with the version bump (scimmy-and-bullmq.md §A6.3): cost depends on the delta, not on the
// group's size, except for a full replacement, which must compare against the whole list.
import { BridgeError } from "../errors/bridge-error";
import type { GroupInput, MemberDelta, StoredGroup, WriteContext, WriteResult } from "./directory-store-api";
import { isResourceId } from "./directory-reads";
import { groupIndexEntries } from "./index-entries";
import { redisKeys } from "./redis-keys";
import { RESOURCE_FIELDS, bodyOf, decodeGroup } from "./resource-codec";
import { runScript } from "./run-script";
import { type MemberPlan, type SaveRequest, deletePlan, savePlan } from "./save-plan";
import { DELETE_SCRIPT, SAVE_SCRIPT } from "./save-script";
import { type StoreContext, checkIfMatch, expectedVersion, retryStale, unique } from "./store-context";
import {
  MSG_GROUP_NOT_FOUND,
  MSG_UNKNOWN_MEMBER,
  MSG_VERSION_MISMATCH,
  readDeleteReply,
  readSaveReply,
  toChanges,
} from "./write-outcome";

/** The member plan for a delta. An id both added and removed ends up a member (removes apply first). */
export function memberPlan(delta: MemberDelta): MemberPlan {
  const ids = [...(delta.replaceAll ?? []), ...(delta.add ?? [])];
  if (ids.some((id) => !isResourceId(id))) throw new BridgeError("InvalidValue", MSG_UNKNOWN_MEMBER);
  if (delta.replaceAll) return { add: [], remove: [], all: unique(delta.replaceAll) };
  const add = unique(delta.add ?? []);
  const remove = unique(delta.remove ?? []).filter((id) => !add.includes(id));
  return { add, remove };
}

/** Did an attribute that mapping rules match on (GroupRef: displayName, externalId) change? */
function refChanged(before: StoredGroup, after: GroupInput): boolean {
  return before.displayName !== after.displayName || before.externalId !== after.externalId;
}

async function readGroup(ctx: StoreContext, tenant: string, id: string) {
  if (!isResourceId(id)) throw new BridgeError("NotFound", MSG_GROUP_NOT_FOUND);
  const fields = await ctx.redis.hmget(redisKeys.group(tenant, id), ...RESOURCE_FIELDS);
  const group = decodeGroup(id, fields);
  if (!group) throw new BridgeError("NotFound", MSG_GROUP_NOT_FOUND);
  return { group, body: fields[0] as string, version: Number(fields[3]) };
}

type GroupSave = Omit<SaveRequest, "tenant" | "resource" | "id" | "now">;

async function save(ctx: StoreContext, tenant: string, id: string, req: GroupSave) {
  const plan = savePlan({ ...req, tenant, resource: "group", id, now: ctx.clock() });
  const reply = await runScript(
    ctx.redis,
    SAVE_SCRIPT,
    [redisKeys.group(tenant, id)],
    [JSON.stringify(plan)],
  );
  const outcome = readSaveReply(reply, "group");
  if (outcome.status === "STALE") return "STALE" as const;
  return {
    resource: decodeGroup(id, outcome.fields)!,
    changes: toChanges(outcome.bumped, () => "membership"),
  };
}

export async function createGroup(
  ctx: StoreContext,
  tenant: string,
  input: GroupInput,
  members: string[],
): Promise<WriteResult<StoredGroup>> {
  const id = ctx.newId();
  const result = await save(ctx, tenant, id, {
    expect: -1,
    body: bodyOf(input, "Group"),
    newEntries: groupIndexEntries(input),
    members: memberPlan({ add: members }),
  });
  if (result === "STALE") throw new Error("create cannot be stale");
  return result;
}

/**
 * Attribute update (and, for PUT, a full member replacement) by compare-and-set. A changed name or
 * externalId bumps every member: their group facts changed.
 */
export async function updateGroup(
  ctx: StoreContext,
  tenant: string,
  id: string,
  mutate: (current: StoredGroup) => GroupInput,
  wctx: WriteContext,
  replaceMembers?: string[],
): Promise<WriteResult<StoredGroup>> {
  const members = replaceMembers ? memberPlan({ replaceAll: replaceMembers }) : undefined;
  return retryStale(ctx, async () => {
    const current = await readGroup(ctx, tenant, id);
    checkIfMatch(wctx.ifMatch, current.version);
    const next = mutate(current.group);
    const body = bodyOf(next, "Group");
    const bodyChanged = body !== current.body;
    if (!bodyChanged && !members) return { resource: current.group, changes: [] };
    const fanout = bodyChanged && refChanged(current.group, next);
    return save(ctx, tenant, id, {
      expect: current.version,
      ...(bodyChanged
        ? { body, oldEntries: groupIndexEntries(current.group), newEntries: groupIndexEntries(next) }
        : {}),
      ...(members || fanout ? { members: members ?? { add: [], remove: [] } } : {}),
      fanout,
    });
  });
}

export async function changeMembers(
  ctx: StoreContext,
  tenant: string,
  id: string,
  delta: MemberDelta,
  wctx: WriteContext,
): Promise<WriteResult<StoredGroup>> {
  if (!isResourceId(id)) throw new BridgeError("NotFound", MSG_GROUP_NOT_FOUND);
  const result = await save(ctx, tenant, id, {
    expect: expectedVersion(wctx.ifMatch),
    members: memberPlan(delta),
  });
  if (result === "STALE") throw new BridgeError("PreconditionFailed", MSG_VERSION_MISMATCH);
  return result;
}

/** Deletes the group; each former member's generation is bumped (they left the group). */
export async function deleteGroup(
  ctx: StoreContext,
  tenant: string,
  id: string,
  wctx: WriteContext,
): Promise<WriteResult<null>> {
  return retryStale(ctx, async () => {
    const current = await readGroup(ctx, tenant, id);
    checkIfMatch(wctx.ifMatch, current.version);
    const plan = deletePlan({
      tenant,
      resource: "group",
      id,
      expect: current.version,
      now: ctx.clock(),
      entries: groupIndexEntries(current.group),
    });
    const reply = await runScript(
      ctx.redis,
      DELETE_SCRIPT,
      [redisKeys.group(tenant, id)],
      [JSON.stringify(plan)],
    );
    const outcome = readDeleteReply(reply, "group");
    if (outcome.status === "STALE") return "STALE";
    return { resource: null, changes: toChanges(outcome.bumped, () => "membership") };
  });
}

// Creates, updates, re-members and deletes groups. Member changes are deltas applied by one script
// together with the version bump (scimmy-and-bullmq.md §A6.3): cost depends on the delta, not on the
// group's size. A full replacement is diffed against the current list first (one SMEMBERS), so Redis
// only applies the difference.
import { BridgeError } from "../errors/bridge-error";
import type { GroupInput, MemberDelta, StoredGroup, WriteContext, WriteResult } from "./directory-store-api";
import { isResourceId } from "./directory-reads";
import { groupIndexEntries } from "./index-entries";
import { redisKeys } from "./redis-keys";
import { bodyOf, decodeGroup, splitRecord } from "./resource-codec";
import { deleteResource } from "./delete-resource";
import { runScript } from "./run-script";
import { type SaveRequest, savePlan } from "./save-plan";
import { SAVE_SCRIPT } from "./save-script";
import { assertMemberIdsInSlices, memberPlanInSlices, replacementPlan } from "./member-plans";
import { dropStage, shouldStage, stageMembers } from "./stage-members";
import { stringifyInSlices } from "./stringify-in-slices";
import { type StoreContext, checkIfMatch, expectedVersion, retryStale } from "./store-context";
import {
  MSG_CREATE_STALE,
  MSG_GROUP_NOT_FOUND,
  MSG_VERSION_MISMATCH,
  readSaveReply,
  toChanges,
} from "./write-outcome";

/** Did an attribute that mapping rules match on (GroupRef: displayName, externalId) change? */
function refChanged(before: StoredGroup, after: GroupInput): boolean {
  return before.displayName !== after.displayName || before.externalId !== after.externalId;
}

/** The group and its version, plus (for a full replacement) its members, read in one MULTI. */
async function readGroup(ctx: StoreContext, tenant: string, id: string, withMembers = false) {
  if (!isResourceId(id)) throw new BridgeError("NotFound", MSG_GROUP_NOT_FOUND);
  const read = ctx.redis.multi().get(redisKeys.group(tenant, id));
  if (withMembers) read.smembers(redisKeys.groupMembers(tenant, id));
  const replies = (await read.exec()) ?? [];
  const [raw, members] = replies.map(([err, value]) => {
    if (err) throw err;
    return value;
  }) as [string | null, string[] | undefined];
  const group = decodeGroup(id, raw);
  const record = splitRecord(raw);
  if (!group || !record) throw new BridgeError("NotFound", MSG_GROUP_NOT_FOUND);
  return { group, body: record.body, version: record.version, members: members ?? [] };
}

type GroupSave = Omit<SaveRequest, "tenant" | "resource" | "id" | "now" | "audit">;

async function save(
  ctx: StoreContext,
  tenant: string,
  id: string,
  req: GroupSave,
  audit: { correlationId: string; operation: "create" | "replace" | "patch" },
) {
  // Up to 200,000 member ids: sent ahead in small pushes rather than in one 10 MiB argument.
  const staged =
    req.members && shouldStage(req.members) ? await stageMembers(ctx.redis, tenant, req.members) : undefined;
  const plan = savePlan({
    ...req,
    ...(staged ? { staged } : {}),
    tenant,
    resource: "group",
    id,
    now: ctx.clock(),
    audit: { ...audit, kind: "membership" },
  });
  let reply: unknown;
  try {
    reply = await runScript(
      ctx.redis,
      SAVE_SCRIPT,
      [redisKeys.group(tenant, id)],
      [await stringifyInSlices(plan)],
    );
  } catch (err) {
    // Queued after the script on the same connection: if the script did run, it found its lists first.
    if (staged) await dropStage(ctx.redis, staged);
    throw err;
  }
  const outcome = readSaveReply(reply, "group");
  if (outcome.status === "STALE") return "STALE" as const;
  return {
    resource: decodeGroup(id, outcome.raw)!,
    changes: toChanges(outcome.bumped, () => "membership"),
  };
}

export async function createGroup(
  ctx: StoreContext,
  tenant: string,
  input: GroupInput,
  members: string[],
  wctx: WriteContext,
): Promise<WriteResult<StoredGroup>> {
  const id = ctx.newId();
  // memberPlan's work, sliced: a POST may carry an Okta full push.
  await assertMemberIdsInSlices(members);
  const add = (await replacementPlan([], members)).add;
  const result = await save(
    ctx,
    tenant,
    id,
    {
      expect: -1,
      body: bodyOf(input, "Group"),
      newEntries: groupIndexEntries(input),
      members: { add, remove: [] },
    },
    { correlationId: wctx.correlationId, operation: "create" },
  );
  if (result === "STALE") throw new Error(MSG_CREATE_STALE);
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
  operation: "replace" | "patch" = replaceMembers ? "replace" : "patch",
): Promise<WriteResult<StoredGroup>> {
  if (replaceMembers) await assertMemberIdsInSlices(replaceMembers);
  return retryStale(ctx, async () => {
    const current = await readGroup(ctx, tenant, id, replaceMembers !== undefined);
    checkIfMatch(wctx.ifMatch, current.version);
    const next = mutate(current.group);
    const body = bodyOf(next, "Group");
    const bodyChanged = body !== current.body;
    // Diffing a long list yields between slices (issue #9 item 3); the version compare-and-set in
    // the save still guarantees nothing changed in between.
    const members = replaceMembers ? await replacementPlan(current.members, replaceMembers) : undefined;
    const membersChanged = members !== undefined && members.add.length + members.remove.length > 0;
    if (!bodyChanged && !membersChanged) return { resource: current.group, changes: [] };
    const fanout = bodyChanged && refChanged(current.group, next);
    return save(
      ctx,
      tenant,
      id,
      {
        expect: current.version,
        ...(bodyChanged
          ? { body, oldEntries: groupIndexEntries(current.group), newEntries: groupIndexEntries(next) }
          : {}),
        ...(membersChanged || fanout ? { members: members ?? { add: [], remove: [] } } : {}),
        fanout,
      },
      { correlationId: wctx.correlationId, operation },
    );
  });
}

export async function changeMembers(
  ctx: StoreContext,
  tenant: string,
  id: string,
  delta: MemberDelta,
  wctx: WriteContext,
): Promise<WriteResult<StoredGroup>> {
  if (delta.replaceAll) return updateGroup(ctx, tenant, id, (g) => g, wctx, delta.replaceAll, "patch");
  if (!isResourceId(id)) throw new BridgeError("NotFound", MSG_GROUP_NOT_FOUND);
  const result = await save(
    ctx,
    tenant,
    id,
    { expect: expectedVersion(wctx.ifMatch), members: await memberPlanInSlices(delta) },
    { correlationId: wctx.correlationId, operation: "patch" },
  );
  if (result === "STALE") throw new BridgeError("PreconditionFailed", MSG_VERSION_MISMATCH);
  return result;
}

/** Deletes the group; each former member's generation is bumped (they left the group). */
export function deleteGroup(
  ctx: StoreContext,
  tenant: string,
  id: string,
  wctx: WriteContext,
): Promise<WriteResult<null>> {
  return deleteResource(
    ctx,
    tenant,
    {
      resource: "group",
      id,
      read: async () => {
        const current = await readGroup(ctx, tenant, id);
        return { version: current.version, entries: groupIndexEntries(current.group) };
      },
      kind: "membership",
    },
    wctx,
  );
}

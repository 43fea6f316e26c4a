// Creates, updates and deletes users: one atomic script per write, compare-and-set on the version,
// and a PersonChange for the user whenever anything about them changed.
import { auditIdentity } from "../audit/audit-identity";
import { BridgeError } from "../errors/bridge-error";
import type { PersonChangeKind } from "./directory-change";
import type { UserInput, WriteContext, WriteResult } from "./directory-store-api";
import type { StoredUser } from "./directory-types";
import { isResourceId } from "./directory-reads";
import { userIndexEntries } from "./index-entries";
import { memberDisplay } from "./member-displays";
import { redisKeys } from "./redis-keys";
import { bodyOf, decodeUser, parseVersion, splitRecord } from "./resource-codec";
import { deleteResource } from "./delete-resource";
import { runScript } from "./run-script";
import { savePlan } from "./save-plan";
import { SAVE_SCRIPT } from "./save-script";
import { type StoreContext, checkIfMatch, retryStale } from "./store-context";
import { MSG_CREATE_STALE, MSG_USER_NOT_FOUND, readSaveReply, toChanges } from "./write-outcome";
import { isUserActive } from "./user-active";

/**
 * Which change a user write is for provisioning. Any attribute may feed a mapping rule (site, dates,
 * department…), so every attribute change counts; an `active` flip is reported as such because it
 * decides revocation (scim-clients.md §5.6).
 */
export function userChangeKind(before: { active?: unknown }, after: { active?: unknown }): PersonChangeKind {
  if (isUserActive(before) === isUserActive(after)) return "updated";
  return isUserActive(after) ? "activated" : "deactivated";
}

/** The save request's display field: absent when the user has no name to show. */
function displayOf(user: UserInput): { display?: string } {
  const display = memberDisplay(user);
  return display === undefined ? {} : { display };
}

async function readUser(ctx: StoreContext, tenant: string, id: string) {
  if (!isResourceId(id)) throw new BridgeError("NotFound", MSG_USER_NOT_FOUND);
  const raw = await ctx.redis.get(redisKeys.user(tenant, id));
  const user = decodeUser(id, raw);
  const record = splitRecord(raw);
  if (!user) throw new BridgeError("NotFound", MSG_USER_NOT_FOUND);
  return { user, body: record!.body, version: record!.version };
}

/**
 * The record form of a user the caller has just read (the PATCH route reads it for If-Match and the
 * no-op check): saves the store's own read on the first attempt. The save script's compare-and-set on
 * the version makes an out-of-date copy harmless: it comes back STALE and the next attempt reads again.
 */
function recordOf(user: StoredUser) {
  const version = parseVersion(user.meta.version);
  return typeof version === "number" ? { user, body: bodyOf(user, "User"), version } : undefined;
}

export async function createUser(
  ctx: StoreContext,
  tenant: string,
  input: UserInput,
  wctx: WriteContext,
): Promise<WriteResult<StoredUser>> {
  const id = ctx.newId();
  const body = bodyOf(input, "User");
  const plan = savePlan({
    tenant,
    resource: "user",
    id,
    expect: -1,
    now: ctx.clock(),
    body,
    newEntries: userIndexEntries(input),
    active: isUserActive(input),
    self: true,
    ...displayOf(input),
    audit: {
      correlationId: wctx.correlationId,
      operation: "create",
      kind: "created",
      identity: auditIdentity(input),
    },
  });
  const reply = await runScript(ctx.redis, SAVE_SCRIPT, [redisKeys.user(tenant, id)], [JSON.stringify(plan)]);
  const outcome = readSaveReply(reply, "user");
  if (outcome.status !== "OK") throw new Error(MSG_CREATE_STALE);
  return { resource: decodeUser(id, outcome.raw)!, changes: toChanges(outcome.bumped, () => "created") };
}

export async function updateUser(
  ctx: StoreContext,
  tenant: string,
  id: string,
  mutate: (current: StoredUser) => UserInput,
  wctx: WriteContext,
  operation: "replace" | "patch" = "patch",
  seen?: StoredUser,
): Promise<WriteResult<StoredUser>> {
  let known = seen?.id === id ? recordOf(seen) : undefined;
  return retryStale(ctx, async () => {
    const current = known ?? (await readUser(ctx, tenant, id));
    known = undefined;
    checkIfMatch(wctx.ifMatch, current.version);
    const next = mutate(current.user);
    const body = bodyOf(next, "User");
    if (body === current.body) return { resource: current.user, changes: [] };
    const kind = userChangeKind(current.user, next);
    const plan = savePlan({
      tenant,
      resource: "user",
      id,
      expect: current.version,
      now: ctx.clock(),
      body,
      oldEntries: userIndexEntries(current.user),
      newEntries: userIndexEntries(next),
      active: isUserActive(next),
      self: true,
      ...displayOf(next),
      audit: { correlationId: wctx.correlationId, operation, kind, identity: auditIdentity(next) },
    });
    const reply = await runScript(
      ctx.redis,
      SAVE_SCRIPT,
      [redisKeys.user(tenant, id)],
      [JSON.stringify(plan)],
    );
    const outcome = readSaveReply(reply, "user");
    if (outcome.status === "STALE") return "STALE";
    return { resource: decodeUser(id, outcome.raw)!, changes: toChanges(outcome.bumped, () => kind) };
  });
}

/** Deletes the user, their memberships and indexes; keeps their generation so the pipeline sees it. */
export function deleteUser(
  ctx: StoreContext,
  tenant: string,
  id: string,
  wctx: WriteContext,
): Promise<WriteResult<null>> {
  return deleteResource(
    ctx,
    tenant,
    {
      resource: "user",
      id,
      read: async () => {
        const current = await readUser(ctx, tenant, id);
        return { version: current.version, entries: userIndexEntries(current.user) };
      },
      kind: "deleted",
    },
    wctx,
  );
}

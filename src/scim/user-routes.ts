// The /Users endpoints (RFC 7644 §3.2–3.6): list and search, get, create, replace, patch, delete.
import { type Request, type Response, Router } from "express";
import { isBridgeError } from "../errors/bridge-error";
import type { UserInput, WriteResult } from "../store/directory-store-api";
import type { StoredUser } from "../store/directory-types";
import { applyPatch } from "./apply-patch";
import { buildMemberDelta, isEmptyDelta, targetsList } from "./member-delta";
import type { PatchOperation } from "./normalise-patch";
import { checkPatchedGrowth } from "./check-multi-valued";
import { canonicalUserChange } from "./canonical-user-change";
import { type NormalisedUser, normaliseUserBody, splitUserGroups } from "./normalise-resource-body";
import { isPlainObject } from "./normalise-values";
import { listResponse } from "./discovery-documents";
import { renderUser, wantsUserGroups } from "./render-resource";
import { renderUsers } from "./render-users";
import { sameContent, withoutServerFields } from "./same-content";
import { isScimError, ScimError } from "./scim-error";
import {
  deleteHandler,
  ChangeCollector,
  contextOf,
  ifMatchOf,
  listParams,
  projectionOf,
  reportChanges,
  type ScimContext,
  type ScimDeps,
  sendScim,
  sendScimInSlices,
  writeContext,
} from "./scim-http";
import { boundedPatch, checkBody } from "./bounded-request";
import { syncUserGroups } from "./sync-user-groups";
import { translateFilter } from "./translate-filter";
import { takePrefetchedUser } from "./prefetch-user";

const NOT_FOUND = "User not found.";

export async function listUsers(
  deps: ScimDeps,
  res: Response,
  source: Record<string, unknown>,
): Promise<void> {
  const ctx = contextOf(res);
  const params = listParams(source, deps.config, "User");
  const filter = translateFilter("User", params.filter, deps.config.scim.limits);
  const result = await deps.store.queryUsers(ctx.tenant.id, {
    filter,
    startIndex: params.startIndex,
    count: params.count,
    scanMax: deps.config.scim.limits.filterScanMax,
    maxBytes: deps.config.scim.limits.pageMaxBytes,
  });
  const withGroups = wantsUserGroups(params, ctx);
  const resources = await renderUsers(deps.store, result.resources, ctx, params, withGroups);
  await sendScimInSlices(res, 200, listResponse(resources, result.totalResults, params.startIndex));
}

/** The user, read during admission when it could be (prefetch-user.ts), else now; 404 when absent. */
async function requireUser(deps: ScimDeps, req: Request, tenant: string, id: string): Promise<StoredUser> {
  const user = await (takePrefetchedUser(req, tenant, id) ?? deps.store.getUser(tenant, id));
  if (!user) throw new ScimError(404, undefined, NOT_FOUND);
  return user;
}

/** Applies the non-membership operations, skipping the write when nothing would change. */
async function patchAttributes(
  deps: ScimDeps,
  req: Request,
  res: Response,
  ops: PatchOperation[],
  collector: ChangeCollector,
): Promise<StoredUser> {
  const ctx = contextOf(res);
  const id = String(req.params.id);
  const current = await requireUser(deps, req, ctx.tenant.id, id);
  const ifMatch = ifMatchOf(req);
  if (ifMatch && ifMatch !== current.meta.version) throw new ScimError(412, undefined, "Version mismatch.");
  if (ops.length === 0) return current;
  const maxEntries = deps.config.scim.limits.multiValuedMaxEntries;
  const mutate = (user: StoredUser) => {
    const before = withoutServerFields(user);
    const patched = applyPatch(before, ops);
    checkPatchedGrowth(before, patched, maxEntries);
    return canonicalUserChange(before, patched);
  };
  const next = mutate(current);
  if (sameContent(next, withoutServerFields(current))) return current;
  // The store's compare-and-set starts from the user read here (no second read); at the version `next`
  // came from, the patch gives the same result, so SCIMMY's coercion (the costliest step of a PATCH)
  // runs once, not twice. A concurrent write makes the store read again and `mutate` run again.
  const reuse = (user: StoredUser) => (user.meta.version === current.meta.version ? next : mutate(user));
  const result = await deps.store.updateUser(ctx.tenant.id, id, reuse, writeContext(ctx, ifMatch), current);
  collector.add(result.changes);
  return result.resource;
}

/**
 * Entra re-sends a POST that timed out and gets stuck on the 409 (scim-clients.md §2.1 "Timing",
 * MS Q&A 1151866). For Entra tenants a conflicting POST for the same Entra object (same userName and
 * externalId) therefore resolves to the existing user; every other clash stays 409 (Okta checks it).
 */
async function createUserOrFindRetry(
  deps: ScimDeps,
  ctx: ScimContext,
  user: UserInput,
): Promise<WriteResult<StoredUser> | { existing: StoredUser }> {
  try {
    return await deps.store.createUser(ctx.tenant.id, user, writeContext(ctx));
  } catch (err) {
    if (!isBridgeError(err, "Conflict") || ctx.tenant.kind !== "entra" || !user.externalId) throw err;
    const filter = [[{ attr: "userName" as const, op: "eq" as const, value: String(user.userName) }]];
    const found = await deps.store.queryUsers(ctx.tenant.id, { filter, startIndex: 1, count: 1 });
    const existing = found.resources[0];
    if (existing?.externalId !== user.externalId) throw err;
    return { existing };
  }
}

/**
 * A PUT body as a stored user. Okta's PUT echoes the user as our GET showed it, so a user an older
 * version stored broken comes back broken: the parts equal to what is stored do not fail the PUT
 * (canonical-user-change.ts), so the IdP can still deactivate that person.
 */
async function normalisePutBody(
  deps: ScimDeps,
  ctx: ScimContext,
  id: string,
  body: unknown,
): Promise<NormalisedUser> {
  try {
    checkBody(deps, body);
    return normaliseUserBody(body);
  } catch (err) {
    if (!isScimError(err) || err.status !== 400 || !isPlainObject(body)) throw err;
    const stored = await deps.store.getUser(ctx.tenant.id, id);
    if (!stored) throw err;
    const { rest, groups } = splitUserGroups(body);
    const user = canonicalUserChange(withoutServerFields(stored), rest, (b) => checkBody(deps, b));
    return groups === undefined ? { user } : { user, groups };
  }
}

export function userRoutes(deps: ScimDeps): Router {
  const router = Router({ mergeParams: true });

  router.get("/", (req, res) => listUsers(deps, res, req.query as Record<string, unknown>));
  router.post("/.search", (req, res) => listUsers(deps, res, (req.body ?? {}) as Record<string, unknown>));

  router.get("/:id", async (req, res) => {
    const ctx = contextOf(res);
    const user = await requireUser(deps, req, ctx.tenant.id, req.params.id);
    const body = await renderUser(
      deps.store,
      user,
      ctx,
      projectionOf(req.query as Record<string, unknown>, deps.config, "User"),
    );
    sendScim(res, 200, body, user.meta.version);
  });

  router.post("/", async (req, res) => {
    const ctx = contextOf(res);
    checkBody(deps, req.body);
    const { user, groups } = normaliseUserBody(req.body);
    const collector = new ChangeCollector();
    const retried = await createUserOrFindRetry(deps, ctx, user);
    if (!("changes" in retried)) {
      sendScim(
        res,
        201,
        await renderUser(deps.store, retried.existing, ctx, {}),
        retried.existing.meta.version,
      );
      return;
    }
    collector.add(retried.changes);
    const created = retried.resource;
    if (groups && ctx.tenant.kind === "sailpoint")
      await syncUserGroups(deps.store, ctx, created.id, { replaceAll: groups }, collector);
    await reportChanges(
      deps,
      ctx,
      { resourceType: "User", resourceId: created.id, operation: "create" },
      collector,
    );
    res.setHeader("Location", `${ctx.base}/Users/${created.id}`);
    sendScim(res, 201, await renderUser(deps.store, created, ctx, {}), created.meta.version);
  });

  router.put("/:id", async (req, res) => {
    const ctx = contextOf(res);
    const { user, groups } = await normalisePutBody(deps, ctx, req.params.id, req.body);
    const collector = new ChangeCollector();
    const result = await deps.store.replaceUser(
      ctx.tenant.id,
      req.params.id,
      user,
      writeContext(ctx, ifMatchOf(req)),
    );
    collector.add(result.changes);
    // Only SailPoint manages membership through the user; Okta echoes a read-only `groups: []` on PUT.
    if (groups && ctx.tenant.kind === "sailpoint")
      await syncUserGroups(deps.store, ctx, req.params.id, { replaceAll: groups }, collector);
    await reportChanges(
      deps,
      ctx,
      { resourceType: "User", resourceId: req.params.id, operation: "replace" },
      collector,
    );
    sendScim(res, 200, await renderUser(deps.store, result.resource, ctx, {}), result.resource.meta.version);
  });

  router.patch("/:id", async (req, res) => {
    const ctx = contextOf(res);
    const ops = await boundedPatch(deps, req.body);
    const groupOps = ops.filter((op) => targetsList(op, "groups"));
    const collector = new ChangeCollector();
    const user = await patchAttributes(
      deps,
      req,
      res,
      ops.filter((op) => !targetsList(op, "groups")),
      collector,
    );
    const delta = buildMemberDelta(groupOps);
    if (!isEmptyDelta(delta)) await syncUserGroups(deps.store, ctx, user.id, delta, collector);
    await reportChanges(
      deps,
      ctx,
      { resourceType: "User", resourceId: user.id, operation: "patch" },
      collector,
    );
    // 200 with the full user: Entra's docs and Okta's checks read it (scim-clients.md §2.1 "User update").
    sendScim(res, 200, await renderUser(deps.store, user, ctx, {}), user.meta.version);
  });

  router.delete(
    "/:id",
    deleteHandler(deps, "User", (tenant, id, ctx) => deps.store.deleteUser(tenant, id, ctx)),
  );

  return router;
}

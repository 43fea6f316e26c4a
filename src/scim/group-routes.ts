// The /Groups endpoints (RFC 7644 §3.2–3.6). Membership changes go to store.changeMembers as deltas;
// members are loaded only when the response needs them (Entra sends excludedAttributes=members).
import { type Request, type Response, Router } from "express";
import type { GroupWithMembers, StoredGroup, WriteResult } from "../store/directory-store-api";
import { applyPatch } from "./apply-patch";
import { listResponse } from "./discovery-documents";
import { buildMemberDeltaInSlices, isEmptyDelta, targetsList } from "./member-delta";
import type { PatchOperation } from "./normalise-patch";
import { canonicalGroup, normaliseGroupBody } from "./normalise-resource-body";
import { wantsAttribute } from "./project-resource";
import { renderGroup } from "./render-resource";
import { sameContent, withoutServerFields } from "./same-content";
import { ScimError } from "./scim-error";
import {
  deleteHandler,
  ChangeCollector,
  contextOf,
  ifMatchOf,
  listParams,
  projectionOf,
  reportChanges,
  type ScimDeps,
  sendScim,
  sendScimInSlices,
  writeContext,
} from "./scim-http";
import { translateFilter } from "./translate-filter";
import { boundedPatch, carriedValues, checkGroupBody } from "./bounded-request";
import { YIELD_FROM_ITEMS, yieldToEventLoop } from "../store/yield-to-event-loop";

const NOT_FOUND = "Group not found.";

export async function listGroups(
  deps: ScimDeps,
  res: Response,
  source: Record<string, unknown>,
): Promise<void> {
  const ctx = contextOf(res);
  const params = listParams(source, deps.config, "Group");
  const filter = translateFilter("Group", params.filter, deps.config.scim.limits);
  const members = wantsAttribute(params, "members", true);
  const { filterScanMax: scanMax, pageMaxBytes: maxBytes } = deps.config.scim.limits;
  const query = { filter, startIndex: params.startIndex, count: params.count, scanMax, maxBytes };
  const result = await deps.store.queryGroups(ctx.tenant.id, query, { members });
  const resources = [];
  for (const g of result.resources) resources.push(await renderGroup(g, ctx, params));
  await sendScimInSlices(res, 200, listResponse(resources, result.totalResults, params.startIndex));
}

async function requireGroup(deps: ScimDeps, tenant: string, id: string): Promise<StoredGroup> {
  const entry = await deps.store.getGroup(tenant, id, { members: false });
  if (!entry) throw new ScimError(404, undefined, NOT_FOUND);
  return entry.group;
}

/**
 * Non-member operations on the member-less group, written only when they change something: Okta
 * repeats the rename with every membership PATCH (scim-clients.md §2.2), which must stay cheap.
 */
async function patchAttributes(
  deps: ScimDeps,
  req: Request,
  res: Response,
  ops: PatchOperation[],
  collector: ChangeCollector,
): Promise<boolean> {
  const ctx = contextOf(res);
  const id = String(req.params.id);
  const current = await requireGroup(deps, ctx.tenant.id, id);
  const ifMatch = ifMatchOf(req);
  if (ifMatch && ifMatch !== current.meta.version) throw new ScimError(412, undefined, "Version mismatch.");
  const mutate = (group: StoredGroup) => canonicalGroup(applyPatch(withoutServerFields(group), ops));
  if (ops.length === 0 || sameContent(mutate(current), withoutServerFields(current))) return false;
  const result = await deps.store.updateGroup(ctx.tenant.id, id, mutate, writeContext(ctx, ifMatch));
  collector.add(result.changes);
  return true;
}

/**
 * The members a POST/PUT answer lists: what the group holds now, re-read, since ids naming no user
 * were skipped (memberPlan in store/member-plans.ts) and the IdP must not be told they are members.
 */
async function heldMembers(
  deps: ScimDeps,
  tenant: string,
  sent: GroupWithMembers,
): Promise<GroupWithMembers> {
  return (await deps.store.getGroup(tenant, sent.group.id, { members: true })) ?? sent;
}

export function groupRoutes(deps: ScimDeps): Router {
  const router = Router({ mergeParams: true });

  router.get("/", (req, res) => listGroups(deps, res, req.query as Record<string, unknown>));
  router.post("/.search", (req, res) => listGroups(deps, res, (req.body ?? {}) as Record<string, unknown>));

  router.get("/:id", async (req, res) => {
    const ctx = contextOf(res);
    const projection = projectionOf(req.query as Record<string, unknown>, deps.config, "Group");
    const members = wantsAttribute(projection, "members", true);
    const entry = await deps.store.getGroup(ctx.tenant.id, req.params.id, { members });
    if (!entry) throw new ScimError(404, undefined, NOT_FOUND);
    await sendScimInSlices(res, 200, await renderGroup(entry, ctx, projection), entry.group.meta.version);
  });

  router.post("/", async (req, res) => {
    const ctx = contextOf(res);
    await checkGroupBody(deps, req.body);
    const { group, members } = await normaliseGroupBody(req.body);
    const result = await deps.store.createGroup(ctx.tenant.id, group, members ?? [], writeContext(ctx));
    const collector = new ChangeCollector();
    collector.add(result.changes);
    const created = result.resource;
    await reportChanges(
      deps,
      ctx,
      { resourceType: "Group", resourceId: created.id, operation: "create" },
      collector,
    );
    res.setHeader("Location", `${ctx.base}/Groups/${created.id}`);
    const entry = members
      ? await heldMembers(deps, ctx.tenant.id, { group: created, members })
      : { group: created };
    await sendScimInSlices(res, 201, await renderGroup(entry, ctx, {}), entry.group.meta.version);
  });

  router.put("/:id", async (req, res) => {
    const ctx = contextOf(res);
    await checkGroupBody(deps, req.body);
    const { group, members } = await normaliseGroupBody(req.body);
    const collector = new ChangeCollector();
    const wctx = writeContext(ctx, ifMatchOf(req));
    let result: WriteResult<StoredGroup>;
    if (members) {
      result = await deps.store.replaceGroup(ctx.tenant.id, req.params.id, group, members, wctx);
    } else {
      // A PUT without `members` leaves membership alone rather than emptying the group by omission.
      result = await deps.store.updateGroup(ctx.tenant.id, req.params.id, () => group, wctx);
    }
    collector.add(result.changes);
    await reportChanges(
      deps,
      ctx,
      { resourceType: "Group", resourceId: req.params.id, operation: "replace" },
      collector,
    );
    const entry = members
      ? await heldMembers(deps, ctx.tenant.id, { group: result.resource, members })
      : { group: result.resource };
    await sendScimInSlices(res, 200, await renderGroup(entry, ctx, {}), entry.group.meta.version);
  });

  router.patch("/:id", async (req, res) => {
    const ctx = contextOf(res);
    const ops = await boundedPatch(deps, req.body);
    const collector = new ChangeCollector();
    const memberOps = ops.filter((op) => targetsList(op, "members"));
    const otherOps = ops.filter((op) => !targetsList(op, "members"));
    // A long member list: checking the operations and folding them into a delta are two stretches
    // (issue #9 item 3); the group read in patchAttributes then splits the delta from the save.
    if (carriedValues(memberOps) >= YIELD_FROM_ITEMS) await yieldToEventLoop();
    const delta = await buildMemberDeltaInSlices(memberOps);
    const wrote = await patchAttributes(deps, req, res, otherOps, collector);
    if (!isEmptyDelta(delta)) {
      // If-Match was checked against the version before this request's first write.
      const wctx = writeContext(ctx, wrote ? undefined : ifMatchOf(req));
      collector.add((await deps.store.changeMembers(ctx.tenant.id, req.params.id, delta, wctx)).changes);
    }
    await reportChanges(
      deps,
      ctx,
      { resourceType: "Group", resourceId: req.params.id, operation: "patch" },
      collector,
    );
    // 204 without the member list: Entra expects it, Okta accepts it (scim-clients.md §2.4).
    sendScim(res, 204);
  });

  router.delete(
    "/:id",
    deleteHandler(deps, "Group", (tenant, id, ctx) => deps.store.deleteGroup(tenant, id, ctx)),
  );

  return router;
}

// POST /.search at the tenant root (RFC 7644 §3.4.3): Users first, then Groups, paged as one list.
import type { Response } from "express";
import type { ScimLimits } from "../config/config-schema";
import type { Filter } from "../store/directory-store-api";
import { listResponse } from "./discovery-documents";
import { wantsAttribute } from "./project-resource";
import { renderGroup, wantsUserGroups } from "./render-resource";
import { renderUsers } from "./render-users";
import { isScimError } from "./scim-error";
import { contextOf, listParams, type ScimDeps, sendScimInSlices } from "./scim-http";
import { type ResourceKind, translateFilter } from "./translate-filter";

/** The filter for one resource type, or `false` when it names attributes that type does not index. */
function filterFor(kind: ResourceKind, expression: string | undefined, limits: ScimLimits): Filter | false {
  try {
    return translateFilter(kind, expression, limits);
  } catch (err) {
    if (isScimError(err) && err.scimType === "invalidFilter") return false;
    throw err;
  }
}

export async function searchAll(deps: ScimDeps, res: Response, body: Record<string, unknown>): Promise<void> {
  const ctx = contextOf(res);
  const params = listParams(body, deps.config, "any");
  const { limits } = deps.config.scim;
  const userFilter = filterFor("User", params.filter, limits);
  const groupFilter = filterFor("Group", params.filter, limits);
  // Neither type can answer it: report the User-side reason.
  if (userFilter === false && groupFilter === false) translateFilter("User", params.filter, limits);
  const { startIndex, count } = params;
  const { filterScanMax: scanMax, pageMaxBytes } = limits;
  const users =
    userFilter === false
      ? { totalResults: 0, resources: [], bytes: 0 }
      : await deps.store.queryUsers(ctx.tenant.id, {
          filter: userFilter,
          startIndex,
          count,
          scanMax,
          maxBytes: pageMaxBytes,
        });
  // Groups follow the users' last page only: a user page cut short by its byte budget must be
  // followed by the next users, not by groups, or the client's next startIndex would skip users.
  const usersLeft = Math.max(0, users.totalResults - (startIndex - 1));
  const usersDone = users.resources.length >= Math.min(count, usersLeft);
  const groupStart = Math.max(1, startIndex - users.totalResults);
  const groupCount = usersDone ? Math.max(0, count - users.resources.length) : 0;
  const members = wantsAttribute(params, "members", true);
  const maxBytes = Math.max(1, pageMaxBytes - (users.bytes ?? 0));
  const groups =
    groupFilter === false
      ? { totalResults: 0, resources: [] }
      : await deps.store.queryGroups(
          ctx.tenant.id,
          { filter: groupFilter, startIndex: groupStart, count: groupCount, scanMax, maxBytes },
          { members },
        );
  const withGroups = wantsUserGroups(params, ctx);
  const resources = await renderUsers(deps.store, users.resources, ctx, params, withGroups);
  for (const g of groups.resources) resources.push(await renderGroup(g, ctx, params));
  await sendScimInSlices(
    res,
    200,
    listResponse(resources, users.totalResults + groups.totalResults, startIndex),
  );
}

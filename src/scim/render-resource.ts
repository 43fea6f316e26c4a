// Turns stored resources into response bodies: meta.location, the User `groups` attribute and Group
// `members` as SCIM references (RFC 7643 §4.1.2, §4.2), then the client's attribute projection.
import type { DirectoryStore, GroupWithMembers } from "../store/directory-store-api";
import type { GroupRef, StoredUser } from "../store/directory-types";
import {
  type Projection,
  projectResource,
  projectResourceInSlices,
  wantsAttribute,
} from "./project-resource";
import type { ScimContext } from "./scim-http";
import { forEachInSlices } from "../store/yield-to-event-loop";

type Json = Record<string, unknown>;

function withLocation<T extends { id: string; meta: object }>(resource: T, location: string): Json {
  return { ...resource, meta: { ...resource.meta, location } };
}

export function groupRefs(groups: GroupRef[], ctx: ScimContext): Json[] {
  return groups.map((g) => ({
    value: g.id,
    display: g.displayName,
    $ref: `${ctx.base}/Groups/${g.id}`,
    type: "direct",
  }));
}

/**
 * `groups` costs one extra read per user, so it is served when asked for, and by default only to
 * SailPoint tenants, which aggregate memberships from the user (scim-clients.md §2.3).
 */
export function wantsUserGroups(projection: Projection, ctx: ScimContext): boolean {
  return wantsAttribute(projection, "groups", ctx.tenant.kind === "sailpoint");
}

export async function renderUser(
  store: DirectoryStore,
  user: StoredUser,
  ctx: ScimContext,
  projection: Projection,
  withGroups = wantsUserGroups(projection, ctx),
): Promise<Json> {
  const body = withLocation(user, `${ctx.base}/Users/${user.id}`);
  if (withGroups) body.groups = groupRefs(await store.groupsOfUser(ctx.tenant.id, user.id), ctx);
  return projectResource(body, projection);
}

/** A group answer; a member list as long as an Okta full push is built in slices. */
export async function renderGroup(
  entry: GroupWithMembers,
  ctx: ScimContext,
  projection: Projection,
): Promise<Json> {
  const body = withLocation(entry.group, `${ctx.base}/Groups/${entry.group.id}`);
  if (entry.members) {
    const members: Json[] = [];
    await forEachInSlices(entry.members, (id) => {
      const display = entry.displays?.get(id);
      members.push({
        value: id,
        ...(display === undefined ? {} : { display }),
        $ref: `${ctx.base}/Users/${id}`,
        type: "User",
      });
    });
    body.members = members;
  }
  return projectResourceInSlices(body, projection);
}

// Renders the users of a list page: up to 1,000 of them, each possibly 1 MiB, so in batches with a
// look at the clock between them (issue #9 item 3), while a batch's `groups` reads still overlap.
import type { DirectoryStore } from "../store/directory-store-api";
import type { StoredUser } from "../store/directory-types";
import { TimeSlicer } from "../store/yield-to-event-loop";
import type { Projection } from "./project-resource";
import { renderUser } from "./render-resource";
import type { ScimContext } from "./scim-http";

/** Users rendered together: their Redis reads (SailPoint `groups`) run concurrently. */
const BATCH = 50;

export async function renderUsers(
  store: DirectoryStore,
  users: StoredUser[],
  ctx: ScimContext,
  projection: Projection,
  withGroups: boolean,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  const slicer = new TimeSlicer();
  for (let i = 0; i < users.length; i += BATCH) {
    const batch = users.slice(i, i + BATCH);
    out.push(...(await Promise.all(batch.map((u) => renderUser(store, u, ctx, projection, withGroups)))));
    await slicer.pause();
  }
  return out;
}

// Deletes a user or a group in one atomic script with compare-and-set on its version; the people whose
// memberships it ends get their generation bumped in the same step (directory-change.ts).
import type { PersonChangeKind } from "./directory-change";
import type { WriteContext, WriteResult } from "./directory-store-api";
import type { IndexEntry } from "./index-entries";
import { type DirectoryResource, redisKeys } from "./redis-keys";
import { runScript } from "./run-script";
import { deletePlan } from "./save-plan";
import { DELETE_SCRIPT } from "./save-script";
import { type StoreContext, checkIfMatch, retryStale } from "./store-context";
import { readDeleteReply, toChanges } from "./write-outcome";

export interface DeleteTarget {
  resource: DirectoryResource;
  id: string;
  /** Reads the current version and index entries; throws NotFound when it is gone. */
  read: () => Promise<{ version: number; entries: IndexEntry[] }>;
  /** How provisioning sees the change for each bumped person. */
  kind: PersonChangeKind;
}

export function deleteResource(
  ctx: StoreContext,
  tenant: string,
  target: DeleteTarget,
  wctx: WriteContext,
): Promise<WriteResult<null>> {
  const key =
    target.resource === "user" ? redisKeys.user(tenant, target.id) : redisKeys.group(tenant, target.id);
  return retryStale(ctx, async () => {
    const current = await target.read();
    checkIfMatch(wctx.ifMatch, current.version);
    const plan = deletePlan({
      tenant,
      resource: target.resource,
      id: target.id,
      expect: current.version,
      now: ctx.clock(),
      entries: current.entries,
      audit: { correlationId: wctx.correlationId, operation: "delete", kind: target.kind },
    });
    const reply = await runScript(ctx.redis, DELETE_SCRIPT, [key], [JSON.stringify(plan)]);
    const outcome = readDeleteReply(reply, target.resource);
    if (outcome.status === "STALE") return "STALE";
    return { resource: null, changes: toChanges(outcome.bumped, () => target.kind) };
  });
}

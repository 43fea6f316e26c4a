// After Graph reset a delta (410 / expired token), the full round that follows lists what exists, not
// what went away meanwhile: a user deleted or a member removed in the gap appears nowhere. This compares
// the full round with the directory (join key externalId = Entra object id) and returns the signals the
// lost delta would have carried, so a reset loses no revocation (issue #11 item 2).
import type { DirectoryStore } from "../../store/directory-store-api";
import type { IdpSignal } from "../idp-signal";
import type { DeltaContext } from "./delta-signals";

const PAGE = 500;

/** What a full round saw: user ids, or group id → member ids. */
export type FullRoundSeen = { users: Set<string> } | { groups: Map<string, Set<string>> };

type Store = Pick<DirectoryStore, "queryUsers" | "queryGroups" | "getUser">;

function absentSignal(
  ctx: DeltaContext,
  subject: string,
  kind: IdpSignal["kind"],
  groupId?: string,
): IdpSignal {
  const signal: IdpSignal = {
    tenant: ctx.tenant,
    channel: "entra",
    eventId: `${subject}:${groupId ? `${groupId}:` : ""}${ctx.roundId}:absent:${kind}`,
    kind,
    subject,
    occurredAt: ctx.observedAt,
    evidence: { round: ctx.roundId, source: "full round after reset", absent: groupId ? "member" : "user" },
  };
  if (groupId) {
    signal.groupId = groupId;
    signal.evidence.group = groupId;
  }
  return signal;
}

async function absentUsers(store: Store, ctx: DeltaContext, seen: Set<string>): Promise<IdpSignal[]> {
  const out: IdpSignal[] = [];
  for (let start = 1; ; start += PAGE) {
    const page = await store.queryUsers(ctx.tenant, { filter: null, startIndex: start, count: PAGE });
    for (const user of page.resources) {
      const ext = user.externalId;
      if (typeof ext === "string" && ext !== "" && !seen.has(ext))
        out.push(absentSignal(ctx, ext, "deleted"));
    }
    if (page.resources.length < PAGE) return out;
  }
}

async function absentMembers(
  store: Store,
  ctx: DeltaContext,
  seen: Map<string, Set<string>>,
): Promise<IdpSignal[]> {
  const out: IdpSignal[] = [];
  for (const [groupId, members] of seen) {
    const filter = [[{ attr: "externalId" as const, op: "eq" as const, value: groupId }]];
    const found = await store.queryGroups(ctx.tenant, { filter, startIndex: 1, count: 2 }, { members: true });
    for (const group of found.resources) {
      for (const personId of group.members ?? []) {
        const ext = (await store.getUser(ctx.tenant, personId))?.externalId;
        if (typeof ext === "string" && ext !== "" && !members.has(ext))
          out.push(absentSignal(ctx, ext, "membership_removed", groupId));
      }
    }
  }
  return out;
}

export function absentAfterReset(store: Store, ctx: DeltaContext, seen: FullRoundSeen): Promise<IdpSignal[]> {
  return "users" in seen ? absentUsers(store, ctx, seen.users) : absentMembers(store, ctx, seen.groups);
}

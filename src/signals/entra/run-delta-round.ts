// One delta round of one resource (users or groups) for one tenant: follow `@odata.nextLink` pages,
// apply each page's signals in order, and only when the `@odata.deltaLink` arrives store it — so a crash
// or failure anywhere in the round replays the whole round (same round id, so applied once) rather than
// skipping it. A reset (410 / syncStateNotFound) starts a full round at once (specs/idp-signals.md §1.3a).
import type { RedisClient } from "../../store/create-redis-client";
import type { IdpSignal, SignalOutcome } from "../idp-signal";
import type { FullRoundSeen } from "./absent-after-reset";
import { type DeltaContext, groupSignals, leaveDateOf, userSignal } from "./delta-signals";
import {
  type DeltaResource,
  readDeltaState,
  type ResourceDeltaState,
  resetDelta,
  roundIdOf,
  saveDeltaLink,
} from "./entra-delta-state";
import type { GraphClient } from "./graph-client";
import { GraphError, isGraphError } from "./graph-error";

/** Where a full round starts; the deltaLink Graph returns carries these parameters on (not re-added). */
export const DELTA_START: Record<DeltaResource, string> = {
  users: "/v1.0/users/delta?$select=id,accountEnabled,userPrincipalName,employeeLeaveDateTime",
  groups: "/v1.0/groups/delta?$select=displayName,members",
};

export interface RoundDeps {
  tenant: string;
  redis: RedisClient;
  graph: GraphClient;
  apply: (signal: IdpSignal) => Promise<SignalOutcome>;
  now: () => Date;
  /** Called between pages; false means this process lost the tenant's poll lock: stop the round. */
  stillOwner: () => Promise<boolean>;
  /** Leave dates seen in user entries (null: cleared or user removed). */
  onLeaveDates?: (dates: Array<{ subject: string; at: string | null }>) => Promise<void>;
  /** After a full round that followed a reset: what the lost delta would have said (absent-after-reset). */
  afterReset?: (ctx: DeltaContext, seen: FullRoundSeen) => Promise<IdpSignal[]>;
}

export interface RoundResult {
  resource: DeltaResource;
  roundId: string;
  baseline: boolean;
  /** The round began from scratch because Graph reset the delta state. */
  reset: boolean;
  pages: number;
  signals: number;
  outcomes: Partial<Record<SignalOutcome["status"], number>>;
}

function signalsOf(r: DeltaResource, entries: unknown[], ctx: Parameters<typeof userSignal>[1]): IdpSignal[] {
  const objects = entries.filter((e): e is Record<string, unknown> => typeof e === "object" && e !== null);
  if (r === "groups") return objects.flatMap((e) => groupSignals(e, ctx));
  return objects.map((e) => userSignal(e, ctx)).filter((s): s is IdpSignal => s !== null);
}

type Entry = Record<string, unknown>;

/** Records the ids a full round lists (users, or each group's members), for the after-reset compare. */
function noteSeen(seen: FullRoundSeen, entries: Entry[]): void {
  for (const e of entries) {
    if (typeof e.id !== "string" || e["@removed"] !== undefined) continue;
    if ("users" in seen) seen.users.add(e.id);
    else {
      const members = seen.groups.get(e.id) ?? new Set<string>();
      for (const m of Array.isArray(e["members@delta"]) ? (e["members@delta"] as Entry[]) : [])
        if (typeof m?.id === "string" && m["@removed"] === undefined) members.add(m.id);
      seen.groups.set(e.id, members);
    }
  }
}

async function applySignals(deps: RoundDeps, signals: IdpSignal[], result: RoundResult): Promise<void> {
  for (const signal of signals) {
    const outcome = await deps.apply(signal);
    result.signals += 1;
    result.outcomes[outcome.status] = (result.outcomes[outcome.status] ?? 0) + 1;
  }
}

async function applyPage(
  deps: RoundDeps,
  r: DeltaResource,
  entries: unknown[],
  result: RoundResult,
  seen: FullRoundSeen | null,
) {
  const ctx = { tenant: deps.tenant, roundId: result.roundId, observedAt: deps.now().toISOString() };
  if (seen)
    noteSeen(
      seen,
      entries.filter((e): e is Entry => typeof e === "object" && e !== null),
    );
  // A baseline lists every active account: confirmations there would be one audit record per user and
  // lift nothing a delta would not. Only what takes access away counts in a baseline.
  const signals = signalsOf(r, entries, ctx).filter(
    (s) => !(result.baseline && s.kind === "confirmed_active"),
  );
  await applySignals(deps, signals, result);
  if (r === "users" && deps.onLeaveDates) {
    const dates = entries.flatMap((e) =>
      typeof e === "object" && e ? [leaveDateOf(e as Record<string, unknown>)] : [],
    );
    await deps.onLeaveDates(dates.filter((d) => d !== null));
  }
}

async function oneRound(deps: RoundDeps, r: DeltaResource, state: ResourceDeltaState, reset: boolean) {
  const result: RoundResult = {
    resource: r,
    roundId: roundIdOf(r, state),
    baseline: state.link === null,
    reset,
    pages: 0,
    signals: 0,
    outcomes: {},
  };
  let link = state.link ?? deps.graph.url(DELTA_START[r]);
  const seen: FullRoundSeen | null =
    reset && deps.afterReset ? (r === "users" ? { users: new Set() } : { groups: new Map() }) : null;
  for (;;) {
    const page = await deps.graph.getJson(link);
    result.pages += 1;
    await applyPage(deps, r, Array.isArray(page.value) ? page.value : [], result, seen);
    const next = page["@odata.nextLink"];
    const delta = page["@odata.deltaLink"];
    if (typeof next === "string") {
      deps.graph.checkOrigin(next);
      if (!(await deps.stillOwner())) throw new GraphError("RequestFailed", "poll lock lost during a round");
      link = next;
    } else if (typeof delta === "string") {
      deps.graph.checkOrigin(delta);
      if (seen && deps.afterReset) {
        const ctx = { tenant: deps.tenant, roundId: result.roundId, observedAt: deps.now().toISOString() };
        await applySignals(deps, await deps.afterReset(ctx, seen), result);
      }
      await saveDeltaLink(deps.redis, deps.tenant, r, delta);
      return result;
    } else throw new GraphError("RequestFailed", "a delta page had neither nextLink nor deltaLink");
  }
}

export async function runDeltaRound(deps: RoundDeps, r: DeltaResource): Promise<RoundResult> {
  try {
    return await oneRound(deps, r, await readDeltaState(deps.redis, deps.tenant, r), false);
  } catch (err) {
    if (!isGraphError(err, "SyncReset")) throw err;
    await resetDelta(deps.redis, deps.tenant, r);
    return oneRound(deps, r, await readDeltaState(deps.redis, deps.tenant, r), true);
  }
}

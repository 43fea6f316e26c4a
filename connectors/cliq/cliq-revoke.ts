// revokeCredential for CLIQ: report lost (cylinder blocklist jobs) or hand in (key back at the desk), and
// for offboarding a validity end plus an operator task, because a key still in the leaver's pocket can only
// be taken back by hand (key-systems.md §1.3 "Return / offboard", "Lost / stolen / broken").
import type { ChangeResult, Clock, RevokeReason } from "../../src/drivers/key-system-driver";
import { isDriverError } from "../../src/drivers/driver-error";
import { credentialStateOf, exposureBound, type IsManaged } from "./cliq-access-plan";
import type { CwmAdapter } from "./cwm-adapter";
import type { CliqKey } from "./cwm-records";

export interface RevokeContext {
  cwm: CwmAdapter;
  clock: Clock;
  isManaged: IsManaged;
}

const DONE: ChangeResult = { effect: "effective", manualTasks: [] };

async function stateOfBlocked(ctx: RevokeContext, key: CliqKey): Promise<ChangeResult> {
  const pending = await ctx.cwm.pendingCylinderJobs(key.id);
  const state = credentialStateOf(key, ctx.isManaged, ctx.clock.now(), pending);
  return { effect: state.effect, exposureUntil: state.exposureUntil, manualTasks: [] };
}

/** Lost, stolen, broken: CWM "report key lost or broken"; effective once the cylinders are programmed. */
async function block(
  ctx: RevokeContext,
  key: CliqKey,
  reason: "lost" | "stolen" | "broken",
): Promise<ChangeResult> {
  if (key.status === "lost" || key.status === "broken") return stateOfBlocked(ctx, key);
  if (key.status !== "handed_out") return DONE; // in stock or returned: nothing out there to block
  const blocked = await ctx.cwm.reportLost(key.id, reason);
  if (blocked.cylinderJobs === 0) return DONE;
  return {
    effect: "pending_propagation",
    exposureUntil: blocked.exposureUntil ?? undefined,
    manualTasks: [],
    credentials: [{ credentialId: key.id, effect: "pending_propagation" }],
  };
}

/**
 * Offboarding: we cannot know whether the physical key is back, and handing it in would free the
 * record while the key may still open doors. So the key's validity ends (effective at its next PD
 * visit or when revalidation lapses) and an operator is asked to take the key back and hand it in.
 */
async function offboard(ctx: RevokeContext, key: CliqKey): Promise<ChangeResult> {
  if (key.status !== "handed_out")
    return key.status === "in_stock" || key.status === "returned" ? DONE : stateOfBlocked(ctx, key);
  const exposureUntil = exposureBound(key, ctx.clock.now());
  if (key.planned.validity.mode !== "never") {
    try {
      await ctx.cwm.changeAccess(key.id, { ...key.planned, validity: { mode: "never" } });
    } catch (err) {
      // A normal key refused for cylinder programming: the hand-in task below covers it anyway.
      if (!isDriverError(err) || err.kind !== "manual_action") throw err;
    }
  }
  return {
    effect: "manual_action_required",
    exposureUntil,
    manualTasks: [
      {
        kind: "hand_in_credential",
        credentialId: key.id,
        reason: "take the physical key back and hand it in",
      },
    ],
    credentials: [{ credentialId: key.id, effect: "manual_action_required" }],
  };
}

export async function revokeCliqKey(
  ctx: RevokeContext,
  keyId: string,
  reason: RevokeReason,
): Promise<ChangeResult> {
  const key = await ctx.cwm.key(keyId);
  if (!key) return DONE; // unknown to CWM: nothing to revoke (§5: NotFound is success for revoke)
  switch (reason) {
    case "lost":
    case "stolen":
    case "broken":
      return block(ctx, key, reason);
    case "returned":
      // The caller vouches the key is physically back: CWM hand-in, effective at once (§1.3).
      if (key.status === "handed_out") await ctx.cwm.handIn(key.id);
      return key.status === "lost" || key.status === "broken" ? stateOfBlocked(ctx, key) : DONE;
    case "offboarding":
      return offboard(ctx, key);
  }
}

// revokeCredential for CLIQ: report lost (cylinder blocklist jobs) or hand in (key back at the desk), and
// for offboarding a validity end plus an operator task, because a key still in the leaver's pocket can only
// be taken back by hand (key-systems.md §1.3 "Return / offboard", "Lost / stolen / broken").
import type { ChangeResult, Clock, RevokeReason } from "../../src/drivers/key-system-driver";
import { isDriverError } from "../../src/drivers/driver-error";
import {
  credentialStateOf,
  disabledAccess,
  exposureBound,
  type IsManaged,
  sameAccess,
} from "./cliq-access-plan";
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

const HAND_IN_REASON = "take the physical key back and hand it in";

/**
 * Offboarding: we cannot know whether the physical key is back, and handing it in would free the
 * record while the key may still open doors. So the key is reprogrammed to open nothing (our profiles
 * gone, validity "never", §1.2) and the revocation follows the key's real state: effective once the key
 * has met a programming device and carries that, pending until then with exposureUntil = the key's
 * revalidation deadline (§1.3: exposure is bounded by validity and revalidation). Taking the key back
 * is a follow-up task that never holds the revocation hostage.
 */
async function offboard(ctx: RevokeContext, key: CliqKey): Promise<ChangeResult> {
  if (key.status !== "handed_out")
    return key.status === "in_stock" || key.status === "returned" ? DONE : stateOfBlocked(ctx, key);
  const handIn = { kind: "hand_in_credential" as const, credentialId: key.id, reason: HAND_IN_REASON };
  let current = key;
  const target = disabledAccess(key.planned, ctx.isManaged);
  if (!sameAccess(target, key.planned)) {
    try {
      current = (await ctx.cwm.changeAccess(key.id, target)).key;
    } catch (err) {
      // A normal key CWM will only change through cylinder programming: an operator must act.
      if (!isDriverError(err) || err.kind !== "manual_action") throw err;
      const exposureUntil = exposureBound(key, ctx.clock.now());
      const cylinders = {
        kind: "program_with_manager" as const,
        credentialId: key.id,
        reason: "program the cylinders of this normal key so it opens nothing",
      };
      return {
        effect: "manual_action_required",
        ...(exposureUntil ? { exposureUntil } : {}),
        manualTasks: [cylinders, handIn],
        credentials: [{ credentialId: key.id, effect: "manual_action_required" }],
      };
    }
  }
  const state = credentialStateOf(current, ctx.isManaged, ctx.clock.now());
  const effect = state.status === "disabled" ? "effective" : "pending_programming";
  // The old access stays physically on the key until it meets a PD or its revalidation lapses.
  const exposureUntil = effect === "effective" ? undefined : exposureBound(key, ctx.clock.now());
  return {
    effect,
    ...(exposureUntil ? { exposureUntil } : {}),
    manualTasks: [handIn],
    credentials: [{ credentialId: key.id, effect }],
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

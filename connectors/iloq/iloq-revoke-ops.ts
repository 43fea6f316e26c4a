// Revokes one iLOQ key (key-systems.md §2.5 "Offboard", "Lost/stolen"; §5 revokeCredential): lost or
// stolen keys are blocklisted (effective only as the blocklist reaches the locks); otherwise phone keys
// and external tags are returned remotely, unprogrammed keys deleted, and physical keys handed in.
import type { ChangeResult, ManualTask, RevokeReason } from "../../src/drivers/key-system-driver";
import { CAN_ORDER_BLACKLIST, precheckError } from "./classify-iloq-error";
import { blockEffect, getKey, type IloqOps, readBlacklist } from "./iloq-key-state";
import { fromIloqLocal } from "./iloq-time";
import type { IloqBlacklist, IloqKey } from "./iloq-wire";

const effective = (credentialId: string): ChangeResult => ({
  effect: "effective",
  manualTasks: [],
  credentials: [{ credentialId, effect: "effective" }],
});

function keyEnd(key: IloqKey, zone: string): Date | null {
  return key.ExpireDate ? fromIloqLocal(key.ExpireDate, zone) : null;
}

/** A blocked key may open unsynced locks until propagation (estimate) or its own end date, whichever first. */
function blockExposure(ops: IloqOps, key: IloqKey, zone: string): string {
  const estimate = ops.clock.now().getTime() + ops.options.blocklistPropagationHours * 3600_000;
  const end = keyEnd(key, zone)?.getTime() ?? Number.POSITIVE_INFINITY;
  return new Date(Math.min(estimate, end)).toISOString();
}

/** Orders the S40 blocklist packet; 2 ("no changes") means it is already ordered (§2.4). */
async function orderBlacklist(ops: IloqOps): Promise<ManualTask[]> {
  const code = Number(await ops.client.call<number>("GET", "Blacklists/CanOrderS40Blacklist"));
  if (code === 2) return [];
  const refused = precheckError("CanOrderS40Blacklist", CAN_ORDER_BLACKLIST, code);
  if (refused?.kind === "manual_action") {
    return [
      {
        kind: "program_with_manager",
        reason: "iLOQ blocklist must be ordered in iLOQ Manager (CanOrderS40Blacklist=1)",
      },
    ];
  }
  if (refused) throw refused;
  await ops.client.call("POST", "Blacklists/OrderS40Blacklist");
  return [];
}

async function blockedResult(
  ops: IloqOps,
  key: IloqKey,
  zone: string,
  tasks: ManualTask[],
  list?: IloqBlacklist,
): Promise<ChangeResult> {
  const effect = blockEffect(key, list ?? (await readBlacklist(ops))) ?? "pending_propagation";
  const shown = tasks.length ? "manual_action_required" : effect;
  return {
    effect: shown,
    manualTasks: tasks,
    credentials: [{ credentialId: key.FNKey_ID, effect: shown }],
    ...(effect === "effective" ? {} : { exposureUntil: blockExposure(ops, key, zone) }),
  };
}

async function block(
  ops: IloqOps,
  key: IloqKey,
  zone: string,
  list: IloqBlacklist,
): Promise<ChangeResult | null> {
  const item = list.BlacklistItems.find((b) => b.FNKey_ID === key.FNKey_ID);
  if (!item) {
    const id = encodeURIComponent(key.FNKey_ID);
    // CanAddKey is false for a key that is listed or holds no rights (§2.4): nothing to block then.
    if (!(await ops.client.call<boolean>("GET", `Blacklists/CanAddKey/${id}`))) return null;
    await ops.client.call("POST", `Blacklists/AddKey/${id}`);
  }
  if (item && item.BlacklistVersion > 0) return blockedResult(ops, key, zone, [], list);
  return blockedResult(ops, key, zone, await orderBlacklist(ops));
}

function handIn(key: IloqKey, zone: string, reason: string): ChangeResult {
  const end = keyEnd(key, zone);
  return {
    effect: "manual_action_required",
    manualTasks: [{ kind: "hand_in_credential", credentialId: key.FNKey_ID, reason }],
    credentials: [{ credentialId: key.FNKey_ID, effect: "manual_action_required" }],
    ...(end ? { exposureUntil: end.toISOString() } : {}),
  };
}

/** `known` is the key as just read (undefined: read it here; null: iLOQ no longer knows it). */
export async function revokeKey(
  ops: IloqOps,
  keyId: string,
  reason: RevokeReason,
  zone: string,
  known?: IloqKey | null,
): Promise<ChangeResult> {
  const key = known === undefined ? await getKey(ops, keyId) : known;
  if (!key) return effective(keyId); // returned or deleted already: revoking what is absent succeeds
  if (reason === "lost" || reason === "stolen") {
    const blocked = await block(ops, key, zone, await readBlacklist(ops));
    if (blocked) return blocked;
  }
  const id = encodeURIComponent(key.FNKey_ID);
  const canReturn = Number(await ops.client.call<number>("GET", `Keys/${id}/CanReturn`));
  if (canReturn === 4) {
    // Already in the blocklist: report how far the block has spread (and finish ordering it).
    const blocked = await block(ops, key, zone, await readBlacklist(ops));
    if (blocked) return blocked;
  }
  if (canReturn === 0) {
    await ops.client.call("POST", `Keys/${id}/Return`);
    return effective(key.FNKey_ID);
  }
  if (canReturn === 3) {
    // Never programmed: it opens nothing; delete it instead of returning (§2.4 CanReturn 3).
    const canDelete = Number(await ops.client.call<number>("GET", `Keys/${id}/CanDelete`));
    if (canDelete === 0) {
      await ops.client.call("DELETE", `Keys/${id}`);
      return effective(key.FNKey_ID);
    }
  }
  return handIn(key, zone, `iLOQ key cannot be returned remotely (CanReturn=${canReturn}); collect it`);
}

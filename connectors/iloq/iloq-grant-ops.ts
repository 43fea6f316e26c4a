// Writes a holder's grants onto one iLOQ key: read mode=1, one full-replace PUT when it differs,
// mirror the end date into Key.ExpireDate, then CanOrder → Order (key-systems.md §2.3, §2.5).
import type { Effect, GrantSpec } from "../../src/drivers/key-system-driver";
import { DriverError } from "../../src/drivers/driver-error";
import { CAN_ADD_TIME_LIMIT, CAN_ORDER, precheckError } from "./classify-iloq-error";
import { type IloqOps, readRights, toRights } from "./iloq-key-state";
import { fromIloqLocal, toIloqLocal } from "./iloq-time";
import { type IloqKey, type IloqSecurityAccess, KEY_BIT } from "./iloq-wire";
import { API_ACCESS_TYPE, buildKeyRights, type KeyRights, sameRights } from "./translate-grants";
import { isBridgeProfile } from "./translate-schedule";

const MSG_MANAGER_ONLY = "iLOQ right is not API type; only iLOQ Manager can assign it";

export interface KeyGrantResult {
  effect: Effect;
  /** The old rights may still open doors until the key is reprogrammed, at most until this end date. */
  exposureUntil?: string;
}

async function orderKey(ops: IloqOps, key: IloqKey): Promise<Effect> {
  const id = encodeURIComponent(key.FNKey_ID);
  const code = await ops.client.call<number>("GET", `Keys/${id}/CanOrder`);
  const refused = precheckError("CanOrder", CAN_ORDER, Number(code));
  if (refused) throw refused;
  await ops.client.call("POST", `Keys/${id}/Order`);
  // External tags are "instantly programmed on server side" after Order (§2.5).
  return key.KeyTypeMask & KEY_BIT.externalTag ? "effective" : "pending_programming";
}

/** Whether a key in planning state still differs from what it holds physically (needs an Order). */
async function needsOrder(ops: IloqOps, key: IloqKey, wrote: boolean): Promise<boolean> {
  if (key.State !== 0) return wrote;
  if (wrote || !key.IsProgrammed) return true;
  const planned = await readRights(ops, key.FNKey_ID, 1);
  const programmed = await readRights(ops, key.FNKey_ID, 2);
  return !sameRights(toRights(planned), toRights(programmed));
}

/**
 * Asks CanAddTimeLimit for the bridge's time profile before the full replace writes it (§2.3, §2.4):
 * a refusal (capacity, grid, blocklist) is classified here instead of surfacing as a bare 400.
 */
async function checkTimeProfile(ops: IloqOps, key: IloqKey, rights: KeyRights, zone: string) {
  const slot = rights.TimeLimitSlots.find((s) => isBridgeProfile(s, zone));
  if (!slot) return;
  const id = encodeURIComponent(key.FNKey_ID);
  const body = { TimeLimitSlot: slot };
  const code = await ops.client.call<number>("POST", `Keys/${id}/TimeLimitTitles/CanAdd`, { body });
  const refused = precheckError("CanAddTimeLimit", CAN_ADD_TIME_LIMIT, Number(code));
  if (refused) throw refused;
}

/** Mirrors the key's end date into Key.ExpireDate as well ([3p] HelloID), so Manager shows it too. */
async function mirrorExpireDate(ops: IloqOps, key: IloqKey, end: Date | null, zone: string) {
  const wanted = end ? toIloqLocal(end, zone) : null;
  if ((key.ExpireDate ?? null) === wanted) return;
  await ops.client.call("PUT", "Keys", { body: { Key: { ...key, ExpireDate: wanted } } });
}

/**
 * A refused full replace is explained from the catalog: an added right that is not API type can only be
 * assigned in iLOQ Manager (§2.2) → manual_action; anything else stays as classified.
 */
async function explainRefusal(ops: IloqOps, err: unknown, ids: string[]): Promise<never> {
  if ((err as { kind?: string }).kind !== "permanent") throw err;
  const catalog = await ops.client.call<IloqSecurityAccess[]>("GET", "SecurityAccesses").catch(() => null);
  const managerOnly = (catalog ?? []).some(
    (a) => ids.includes(a.SecurityAccess_ID) && a.Type !== API_ACCESS_TYPE,
  );
  if (managerOnly)
    throw new DriverError("manual_action", MSG_MANAGER_ONLY, {
      vendorSignal: "SecurityAccess.Type",
      cause: err,
    });
  throw err;
}

export async function applyGrantsToKey(
  ops: IloqOps,
  key: IloqKey,
  desired: GrantSpec[],
  zone: string,
): Promise<KeyGrantResult> {
  const current = await readRights(ops, key.FNKey_ID, 1);
  const { rights, window } = buildKeyRights(desired, current, ops.isManaged, zone);
  const wrote = !sameRights(toRights(current), rights);
  if (wrote) {
    await checkTimeProfile(ops, key, rights, zone);
    const body: Record<string, unknown> = { ...rights };
    if (key.KeyTypeMask & KEY_BIT.phone && ops.options.offlineExpirationSeconds) {
      body.OfflineExpirationSeconds = ops.options.offlineExpirationSeconds;
    }
    await ops.client
      .call("PUT", `Keys/${encodeURIComponent(key.FNKey_ID)}/SecurityAccesses`, { body })
      .catch((err: unknown) => {
        const present = new Set(current.accesses.map((a) => a.SecurityAccess_ID));
        return explainRefusal(
          ops,
          err,
          rights.SecurityAccessIds.filter((id) => !present.has(id)),
        );
      });
    await mirrorExpireDate(ops, key, window === "empty" ? null : window.end, zone);
  }
  if (await needsOrder(ops, key, wrote)) {
    const effect = await orderKey(ops, key);
    const removed = current.accesses.some((a) => !rights.SecurityAccessIds.includes(a.SecurityAccess_ID));
    const end = key.ExpireDate ? fromIloqLocal(key.ExpireDate, zone) : null;
    return {
      effect,
      ...(removed && end && effect !== "effective" ? { exposureUntil: end.toISOString() } : {}),
    };
  }
  if (key.State === 1 || key.State === 2 || key.State === 7) return { effect: "pending_programming" };
  return { effect: "effective" };
}

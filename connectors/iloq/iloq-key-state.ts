// Reads one iLOQ key's planned (mode=1) and programmed (mode=2) rights and its blocklist state, and
// turns them into the bridge's CredentialState (key-systems.md §2.2 PniLogicalState, §2.5, §6.1.7–8).
import type { Clock, CredentialKind, CredentialState, Effect } from "../../src/drivers/key-system-driver";
import { INVALID_VALUE } from "./classify-iloq-error";
import type { IloqClient } from "./iloq-client";
import type { IloqOptions } from "./iloq-options";
import {
  type KeyRights,
  type ManagedPredicate,
  readGrants,
  readWindow,
  sameRights,
} from "./translate-grants";
import {
  type IloqBlacklist,
  type IloqKey,
  type IloqKeyAccesses,
  type IloqKeyTimeLimits,
  type IloqSecurityAccess,
  type IloqTimeLimitSlot,
  KEY_BIT,
} from "./iloq-wire";

export interface IloqOps {
  client: IloqClient;
  options: IloqOptions;
  clock: Clock;
  isManaged: ManagedPredicate;
}

export interface RightsRead {
  accesses: IloqSecurityAccess[];
  slots: IloqTimeLimitSlot[];
}

export interface KeyRead {
  key: IloqKey;
  planned: RightsRead;
  programmed: RightsRead;
  blacklist: IloqBlacklist;
}

export const toRights = (r: RightsRead): KeyRights => ({
  SecurityAccessIds: r.accesses.map((a) => a.SecurityAccess_ID),
  TimeLimitSlots: r.slots,
});

export function isNotFound(err: unknown): boolean {
  return (err as { vendorSignal?: string } | null)?.vendorSignal === INVALID_VALUE;
}

/** GET Keys/{id}; null when iLOQ answers "Invalid value" (returned or deleted key). */
export async function getKey(ops: IloqOps, keyId: string): Promise<IloqKey | null> {
  try {
    return await ops.client.call<IloqKey>("GET", `Keys/${encodeURIComponent(keyId)}`);
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

/** mode 1 = current/planned, mode 2 = last programmed (§2.3 "Key rights"). */
export async function readRights(ops: IloqOps, keyId: string, mode: 1 | 2): Promise<RightsRead> {
  const id = encodeURIComponent(keyId);
  const query = { mode: String(mode) };
  const accesses = await ops.client.call<IloqKeyAccesses>("GET", `Keys/${id}/SecurityAccesses`, { query });
  const limits = await ops.client.call<IloqKeyTimeLimits>("GET", `Keys/${id}/TimeLimitTitles`, { query });
  return { accesses: accesses?.SecurityAccesses ?? [], slots: limits?.KeyTimeLimitSlots ?? [] };
}

export async function readBlacklist(ops: IloqOps): Promise<IloqBlacklist> {
  const b = await ops.client.call<IloqBlacklist>("GET", "Blacklists");
  return { BlacklistItems: b?.BlacklistItems ?? [], BlacklistPacket: b?.BlacklistPacket ?? null };
}

export async function readKey(ops: IloqOps, key: IloqKey, blacklist?: IloqBlacklist): Promise<KeyRead> {
  const planned = await readRights(ops, key.FNKey_ID, 1);
  const programmed = await readRights(ops, key.FNKey_ID, 2);
  return { key, planned, programmed, blacklist: blacklist ?? (await readBlacklist(ops)) };
}

export function credentialKind(key: IloqKey): CredentialKind {
  if (key.KeyTypeMask & KEY_BIT.phone) return "phone";
  if (key.KeyTypeMask & KEY_BIT.externalTag) return "tag";
  return "physical";
}

/**
 * Blocked keys are effective once the ordered blocklist packet reached every lock ([inf] packet
 * State 3, mirroring PniLogicalState); until then the key may still open doors that have not synced.
 */
export function blockEffect(key: IloqKey, blacklist: IloqBlacklist): Effect | null {
  const item = blacklist.BlacklistItems.find((b) => b.FNKey_ID === key.FNKey_ID);
  if (!item) return null;
  const p = blacklist.BlacklistPacket;
  const done =
    item.BlacklistVersion > 0 && p !== null && p.State === 3 && p.SoftDataVersion >= item.BlacklistVersion;
  return done ? "effective" : "pending_propagation";
}

export function keyEffect(read: KeyRead): Effect {
  const blocked = blockEffect(read.key, read.blacklist);
  if (blocked) return blocked;
  const same =
    read.key.IsProgrammed === true && sameRights(toRights(read.planned), toRights(read.programmed));
  if (read.key.State === 3 || (read.key.State === 0 && same))
    return same ? "effective" : "pending_programming";
  return "pending_programming";
}

export function toCredentialState(ops: IloqOps, read: KeyRead, zone: string): CredentialState {
  const { key } = read;
  const effect = keyEffect(read);
  const planned = readGrants(read.planned.accesses, read.planned.slots, ops.isManaged, zone);
  const programmed = readGrants(read.programmed.accesses, read.programmed.slots, ops.isManaged, zone);
  const blocked = blockEffect(key, read.blacklist) !== null;
  const status = blocked
    ? "blocked"
    : key.State === 1
      ? "ordered"
      : key.State === 2 || key.State === 7
        ? "programming"
        : key.IsProgrammed
          ? "programmed"
          : "planned";
  const exposureEnd = readWindow(read.programmed.slots, zone).end;
  return {
    credentialId: key.FNKey_ID,
    kind: credentialKind(key),
    status,
    plannedGrants: [...planned.grants, ...planned.foreign],
    programmedGrants: [...programmed.grants, ...programmed.foreign],
    effect,
    ...(effect !== "effective" && exposureEnd ? { exposureUntil: exposureEnd.toISOString() } : {}),
  };
}

export async function keyEffectOf(ops: IloqOps, key: IloqKey): Promise<Effect> {
  return keyEffect(await readKey(ops, key));
}

// The iLOQ "Can*" pre-check codes computed from the fake's state (key-systems.md §2.4, §6.1.5).
import { fromLocalString } from "./iloq-fake-time";
import type { FakeKey, FakeTimeLimitSlot, IloqFakeAssumptions, IloqFakeState } from "./iloq-fake-types";

const PHONE = 4;
const FIVE_SERIES = 256;
const EXTERNAL_TAG = 128;

export const isPhoneKey = (k: FakeKey) => (k.KeyTypeMask & PHONE) !== 0;
export const isTagKey = (k: FakeKey) => (k.KeyTypeMask & EXTERNAL_TAG) !== 0;

export function isBlacklisted(state: IloqFakeState, keyId: string): boolean {
  return state.blacklist.some((b) => b.FNKey_ID === keyId);
}

function accessType(state: IloqFakeState, id: string): number | undefined {
  return state.securityAccesses.find((s) => s.SecurityAccess_ID === id)?.Type;
}

/** CanOrderKeyResultType (§2.4). */
export function canOrder(state: IloqFakeState, key: FakeKey, a: IloqFakeAssumptions): number {
  if (isBlacklisted(state, key.FNKey_ID)) return 8;
  if ((key.KeyTypeMask & (PHONE | FIVE_SERIES)) === 0) return 2;
  if (key.State !== 0) return 4;
  // Only API-type rights may be ordered remotely; a standard right that is new on the key needs
  // iLOQ Manager and a programming token (§2.2 SecurityAccess).
  const programmed = new Set(key.programmed?.securityAccessIds ?? []);
  const removedStandard = [...programmed].some(
    (id) => accessType(state, id) !== 3 && !key.planned.securityAccessIds.includes(id),
  );
  const addedStandard = key.planned.securityAccessIds.some(
    (id) => accessType(state, id) !== 3 && !programmed.has(id),
  );
  if (addedStandard || removedStandard) return 1;
  if (isPhoneKey(key)) {
    const ordered = [...state.keys.values()].filter((k) => isPhoneKey(k) && k.State !== 0).length;
    if (ordered >= a.phoneKeyLicences) return 3;
  }
  if (key.planned.timeLimitSlots.length > a.maxTimeLimitSlots) return 11;
  if (key.zoneIds.length === 0) return 12;
  if (!key.Person_ID) return 13;
  if (isPhoneKey(key) && !key.PhoneNo) return 9;
  if (isPhoneKey(key) && (key.PhoneOptionMask & 1) !== 0 && !key.Email) return 10;
  if (isTagKey(key) && !key.TagKey) return 14;
  return 0;
}

/** CanReturnKeyResultType (§2.4): only programmed phone keys and external tags come back remotely. */
export function canReturn(state: IloqFakeState, key: FakeKey): number {
  if (isBlacklisted(state, key.FNKey_ID)) return 4;
  if (!isPhoneKey(key) && !isTagKey(key)) return 2;
  if (!key.everProgrammed) return 3;
  return 0;
}

/** CanDeleteKeyResult (§2.4). */
export function canDeleteKey(state: IloqFakeState, key: FakeKey): number {
  if (isBlacklisted(state, key.FNKey_ID)) return 3;
  if (key.everProgrammed) return 1;
  if (key.State !== 0) return 2;
  return 0;
}

/** CanAddSecurityAccessLink (§2.4; note 1 = OK). */
export function canAddLink(state: IloqFakeState, key: FakeKey, a: IloqFakeAssumptions): number {
  if (isBlacklisted(state, key.FNKey_ID)) return 2;
  if (key.planned.securityAccessIds.length >= a.maxAccessesPerKey) return 3;
  return 1;
}

/** CanDeleteSecurityAccessLink (§2.4; note 1 = OK). */
export function canDeleteLink(state: IloqFakeState, key: FakeKey, saId: string): number {
  if (isBlacklisted(state, key.FNKey_ID)) return 2;
  if (!key.planned.securityAccessIds.includes(saId)) return 3;
  return 1;
}

/** PniPersonCanDeleteErrorType (§2.4): 1 while the person still has keys. */
export function canDeletePerson(state: IloqFakeState, personId: string): number {
  return [...state.keys.values()].some((k) => k.Person_ID === personId) ? 1 : 0;
}

const GRID_MS = 15 * 60_000;
const DAY_MS = 24 * 3600_000;

/**
 * A time profile's weekly data (§2.2): times on the 15-minute grid (7), start before end (13), at most
 * one day long and at least one weekday (14, validation [inf]), at most maxTimeLimitData entries (12 [inf]).
 */
function checkTimeLimitData(data: FakeTimeLimitSlot["TimeLimitData"], a: IloqFakeAssumptions): number {
  if (data.length > a.maxTimeLimitData) return 12;
  for (const d of data) {
    const { WeekDayMask: mask, StartTimeMS: start, EndTimeMS: end } = d;
    if (![mask, start, end].every((v) => Number.isInteger(v))) return 14;
    if (start % GRID_MS !== 0 || end % GRID_MS !== 0) return 7;
    if (start >= end) return 13;
    if (start < 0 || end > DAY_MS || mask < 1 || mask > 127) return 14;
  }
  return 0;
}

/** CanAddTimeLimit (§2.4) for a whole slot set, as PUT Keys/{id}/SecurityAccesses writes it. */
export function checkTimeLimitSlots(
  slots: FakeTimeLimitSlot[],
  zone: string,
  a: IloqFakeAssumptions,
): number {
  if (slots.length > a.maxTimeLimitSlots) return 12;
  const dates: Record<number, Date> = {};
  for (const s of slots) {
    if (s.SlotNo <= 1) {
      const d = s.LimitDateLg ? fromLocalString(s.LimitDateLg, zone) : null;
      if (!d) return 8;
      if (d.getUTCSeconds() !== 0 || d.getUTCMinutes() % 15 !== 0) return 7;
      dates[s.SlotNo] = d;
    } else if (!s.TimeLimitTitle_ID) {
      return 9;
    } else {
      const code = checkTimeLimitData(s.TimeLimitData, a);
      if (code !== 0) return code;
    }
  }
  const start = dates[0];
  const end = dates[1];
  if (start && end && start.getTime() >= end.getTime()) return 13;
  return 0;
}

/** CanOrderS40BlacklistResult (§2.4). */
export function canOrderBlacklist(state: IloqFakeState, lockGroupId: string, a: IloqFakeAssumptions): number {
  const pending = state.blacklist.filter((b) => b.LockGroup_ID === lockGroupId && b.BlacklistVersion === 0);
  if (a.blacklistNeedsManager) return 1;
  if (pending.length === 0) return 2;
  return 0;
}

// Renders fake state as iLOQ wire objects (PascalCase, `_ID` suffixes; §2.2).
import type { FakeKey, FakeRights, FakeSecurityAccess, IloqFakeState } from "./iloq-fake-types";

export function renderKey(k: FakeKey) {
  return {
    FNKey_ID: k.FNKey_ID,
    Person_ID: k.Person_ID,
    RealEstate_ID: null,
    KeyTypeMask: k.KeyTypeMask,
    Description: k.Description,
    InfoText: "",
    ExpireDate: k.ExpireDate,
    ROM_ID: null,
    Stamp: k.Stamp,
    TagKey: k.TagKey,
    VersionCode: 0,
    State: k.State,
    ProgrammingState: k.State,
    IsProgrammed: k.everProgrammed,
  };
}

export function renderSecurityAccess(sa: FakeSecurityAccess) {
  const { lockIds: _l, LockGroup_ID: _g, ...wire } = sa;
  return {
    ...wire,
    RealEstate_ID: null,
    ParentSecurityAccess_ID: null,
    AccessMode: 0,
    DefaultAccess: false,
    Ext: "",
    ExtDescription: "",
    VersionNr: 1,
  };
}

/** `{SecurityAccesses, OutsideUserZonesCount}` for GET Keys/{id}/SecurityAccesses (§2.3). */
export function renderKeyAccesses(state: IloqFakeState, rights: FakeRights | null) {
  const ids = rights?.securityAccessIds ?? [];
  const list = ids
    .map((id) => state.securityAccesses.find((s) => s.SecurityAccess_ID === id))
    .filter((s): s is FakeSecurityAccess => s !== undefined)
    .map(renderSecurityAccess);
  return { SecurityAccesses: list, OutsideUserZonesCount: 0 };
}

/** `{KeyTimeLimitSlots}` for GET Keys/{id}/TimeLimitTitles (§2.3). */
export function renderTimeLimits(rights: FakeRights | null) {
  return {
    KeyTimeLimitSlots: (rights?.timeLimitSlots ?? []).map((s) => ({ ...s })),
    OutsideUserZoneTimeLimitTitleSlots: [],
  };
}

export function copyRights(r: FakeRights): FakeRights {
  return {
    securityAccessIds: [...r.securityAccessIds],
    timeLimitSlots: r.timeLimitSlots.map((s) => ({ ...s, TimeLimitData: [...s.TimeLimitData] })),
  };
}

export function sameRights(a: FakeRights | null, b: FakeRights | null): boolean {
  const norm = (r: FakeRights | null) =>
    JSON.stringify({
      ids: [...(r?.securityAccessIds ?? [])].sort(),
      slots: [...(r?.timeLimitSlots ?? [])].sort((x, y) => x.SlotNo - y.SlotNo),
    });
  return norm(a) === norm(b);
}

// Request translation for iLOQ keys: grants ↔ SecurityAccessIds + TimeLimitSlots on the 15-minute grid
// in the lock group's time zone (key-systems.md §2.1, §2.2 "Time limits", §2.4 CanAddTimeLimit 7).
import { fromIloqLocal, resolveTimeZone, toIloqLocal } from "../../../connectors/iloq/iloq-time";
import type { IloqSecurityAccess, IloqTimeLimitSlot } from "../../../connectors/iloq/iloq-wire";
import { keyIdFor, nameBasedUuid, personIdFor } from "../../../connectors/iloq/name-based-uuid";
import {
  buildKeyRights,
  grantWindow,
  managedPredicate,
  readGrants,
  sameRights,
} from "../../../connectors/iloq/translate-grants";

const HEL = "Europe/Helsinki";
const sa = (id: string, Type = 3): IloqSecurityAccess => ({
  SecurityAccess_ID: id,
  Name: id,
  Type,
  Status: 0,
});
const managed = managedPredicate(["A", "B", "C"]);

describe("local time of the lock group", () => {
  it.each([
    ["2026-11-26T10:00:00Z", "2026-11-26T12:00:00"], // EET, UTC+2
    ["2026-07-01T10:00:00Z", "2026-07-01T13:00:00"], // EEST, UTC+3
    ["2026-03-29T00:59:59Z", "2026-03-29T02:59:59"], // just before the spring change
    ["2026-03-29T01:00:00Z", "2026-03-29T04:00:00"], // 03:00 local does not exist
  ])("%s is %s in Helsinki and back", (utc, local) => {
    expect(toIloqLocal(new Date(utc), HEL)).toBe(local);
    expect(fromIloqLocal(local, HEL)?.toISOString()).toBe(new Date(utc).toISOString());
  });

  it.each([
    ["FLE Standard Time", "Europe/Helsinki"],
    ["W. Europe Standard Time", "Europe/Berlin"],
    ["Europe/Stockholm", "Europe/Stockholm"],
    ["Mars Standard Time", "UTC"],
    [null, "UTC"],
  ])("TimeZoneStandardName %s → %s", (name, zone) => {
    expect(resolveTimeZone(name, "UTC")).toBe(zone);
  });
});

describe("grant window on the 15-minute grid", () => {
  it.each([
    // notBefore rounds up and notAfter rounds down: the key never opens outside a grant's window.
    [{ notBefore: "2026-11-26T08:07:00Z" }, "2026-11-26T08:15:00.000Z", null],
    [{ notAfter: "2026-11-26T17:14:59Z" }, null, "2026-11-26T17:00:00.000Z"],
    [
      { notBefore: "2026-11-26T08:00:00Z", notAfter: "2026-11-26T17:00:00Z" },
      "2026-11-26T08:00:00.000Z",
      "2026-11-26T17:00:00.000Z",
    ],
  ])("%j → start %s end %s", (g, start, end) => {
    const w = grantWindow([{ vendorRef: "A", ...g }]);
    expect(w).not.toBe("empty");
    if (w === "empty") return;
    expect([w.start?.toISOString() ?? null, w.end?.toISOString() ?? null]).toEqual([start, end]);
  });

  it("takes the intersection when grants on one key differ (validity is per key in iLOQ)", () => {
    const w = grantWindow([
      { vendorRef: "A", notBefore: "2026-11-01T00:00:00Z", notAfter: "2026-12-31T00:00:00Z" },
      { vendorRef: "B", notBefore: "2026-11-10T00:00:00Z", notAfter: "2026-12-01T00:00:00Z" },
    ]);
    expect(w).toEqual({ start: new Date("2026-11-10T00:00:00Z"), end: new Date("2026-12-01T00:00:00Z") });
  });

  it("is empty when rounding leaves no quarter hour", () => {
    expect(
      grantWindow([{ vendorRef: "A", notBefore: "2026-11-26T08:01:00Z", notAfter: "2026-11-26T08:14:00Z" }]),
    ).toBe("empty");
  });
});

describe("rights body for PUT Keys/{id}/SecurityAccesses (full replace)", () => {
  const profile: IloqTimeLimitSlot = {
    SlotNo: 2,
    LimitDateLg: null,
    TimeLimitTitle_ID: "office-hours",
    TimeLimitData: [],
  };

  it("writes desired refs with slots 0/1 in local time, keeps foreign rights and time profiles", () => {
    const { rights } = buildKeyRights(
      [
        { vendorRef: "B", notBefore: "2026-11-26T06:00:00Z", notAfter: "2027-01-31T21:59:00Z" },
        { vendorRef: "A", notBefore: "2026-11-26T06:00:00Z", notAfter: "2027-01-31T21:59:00Z" },
      ],
      { accesses: [sa("C"), sa("STD", 1), sa("OTHER-API")], slots: [profile] },
      managed,
      HEL,
    );
    expect(rights.SecurityAccessIds).toEqual(["A", "B", "OTHER-API", "STD"]);
    expect(rights.TimeLimitSlots).toEqual([
      { SlotNo: 0, LimitDateLg: "2026-11-26T08:00:00", TimeLimitTitle_ID: null, TimeLimitData: [] },
      { SlotNo: 1, LimitDateLg: "2027-01-31T23:45:00", TimeLimitTitle_ID: null, TimeLimitData: [] },
      profile,
    ]);
  });

  it("with every managed right API type when no mapping refs are configured", () => {
    const all = managedPredicate(undefined);
    const { rights } = buildKeyRights([], { accesses: [sa("X"), sa("STD", 1)], slots: [] }, all, HEL);
    expect(rights.SecurityAccessIds).toEqual(["STD"]);
  });

  it("writes no managed right and no dates for an empty window", () => {
    const desired = [{ vendorRef: "A", notBefore: "2026-11-26T08:01:00Z", notAfter: "2026-11-26T08:14:00Z" }];
    const { rights } = buildKeyRights(desired, { accesses: [sa("A")], slots: [] }, managed, HEL);
    expect(rights).toEqual({ SecurityAccessIds: [], TimeLimitSlots: [] });
  });

  it("reads back what it wrote as the same grants (no endless diff)", () => {
    const desired = [
      { vendorRef: "A", notBefore: "2026-11-26T06:00:00.000Z", notAfter: "2027-01-31T21:45:00.000Z" },
    ];
    const { rights } = buildKeyRights(desired, { accesses: [sa("STD", 1)], slots: [] }, managed, HEL);
    const back = readGrants([sa("A"), sa("STD", 1)], rights.TimeLimitSlots, managed, HEL);
    expect(back.grants).toEqual(desired);
    expect(back.foreign).toEqual([{ vendorRef: "STD" }]);
    const again = buildKeyRights(
      desired,
      { accesses: [sa("A"), sa("STD", 1)], slots: rights.TimeLimitSlots },
      managed,
      HEL,
    );
    expect(sameRights(again.rights, rights)).toBe(true);
  });
});

describe("integrator-chosen ids", () => {
  it("are RFC 9562 version 5 UUIDs", () => {
    expect(nameBasedUuid("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe(
      "2ed6657d-e927-568b-95e1-2665a8aea6a2",
    );
  });

  it("are stable per system and external id, and differ across systems and keys", () => {
    expect(personIdFor("hq", "e1")).toBe(personIdFor("hq", "e1"));
    expect(personIdFor("hq", "e1")).not.toBe(personIdFor("plant", "e1"));
    expect(keyIdFor("hq", "e1", "phone", "+358")).not.toBe(keyIdFor("hq", "e1", "tag", "+358"));
  });
});

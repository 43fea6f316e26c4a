// The iLOQ locking system of the shipped example (mappings/key-systems.yaml `main-iloq`, the iLOQ
// vendorRefs of mappings/profiles.yaml), seeded by `keybridge simulate iloq` so the example runs against
// the simulator as is. test/fakes/example-seeds.test.ts checks that every scope value and vendorRef the
// example names exists here. The ids are GUIDs, as iLOQ's are (key-systems.md §2.2, §2.7).
import type { IloqFakeState } from "./iloq-fake-types";

export const EXAMPLE_ILOQ = {
  customerCode: "NORDWERK-01",
  userName: "keybridge-api",
  password: "simulated-iloq-password",
  lockGroupId: "7c1f3e2a-0d4b-4f7e-9a61-3f0c2b8d5e10",
  lockGroupName: "Nordwerk Energie",
  /** Europe/Berlin in the Windows zone names iLOQ reports (§2.1 LockGroup.TimeZoneStandardName). */
  timeZoneStandardName: "W. Europe Standard Time",
  zoneId: "2d9b6a41-81c3-4e55-b0f2-6a7d1c9e3b24",
  zoneName: "Nordwerk staff",
  /** API-type (3) rights the example's profiles bind, each opening the locks listed. */
  accesses: [
    { id: "4f1c2a9e-6b3d-4e8a-9c71-0a5d3e7b2f11", name: "API HQ main entrance", locks: ["HQ main entrance"] },
    {
      id: "8b2e7d14-3a6f-4c59-8e02-6d9a1b4c7e22",
      name: "API HQ offices, canteen and car park",
      locks: ["HQ offices", "HQ canteen", "HQ car park barrier"],
    },
    {
      id: "c7d93e05-1f48-4b2a-a6e3-2e8b5f0d9a33",
      name: "API HQ grid control room",
      locks: ["HQ control room"],
    },
    {
      id: "1e6a8f37-9c25-4d71-b4f8-7a3c6e2d1b44",
      name: "API Lindenau water works",
      locks: ["Lindenau gate", "Lindenau pump hall", "Lindenau treatment building"],
    },
    {
      id: "5a9d0c62-7e13-4f86-8b2d-9f1e4a6c3d55",
      name: "API fire brigade key depot HQ",
      locks: ["HQ key depot"],
    },
    {
      id: "e3b47a19-2d6c-4a95-9e1f-3c8d7b5a0e66",
      name: "API fire brigade key depot water works",
      locks: ["Lindenau key depot"],
    },
  ],
} as const;

/** Deterministic lock ids (GUID-shaped) for the example's locks, in order. */
function lockId(n: number): string {
  return `f7a10000-0000-4000-8000-${String(n).padStart(12, "0")}`;
}

export function seedExampleIloq(state: IloqFakeState): typeof EXAMPLE_ILOQ {
  const e = EXAMPLE_ILOQ;
  const g = e.lockGroupId;
  state.users.push({
    UserName: e.userName,
    Password: e.password,
    CustomerCode: e.customerCode,
    failedLogins: 0,
    lockedOut: false,
    RightsMask: Number.MAX_SAFE_INTEGER,
  });
  state.lockGroups.push({
    LockGroup_ID: g,
    Name: e.lockGroupName,
    Description: "simulated locking system of the keybridge example",
    Customer_ID: e.customerCode,
    CountryCode: "DE",
    TimeZoneStandardName: e.timeZoneStandardName,
    State: 0,
    OptionMask: 0,
    apiEnabled: true,
  });
  // Type 4 is the zone kind persons are placed in ([3p] HelloID, key-systems.md §2.2).
  state.zones.push({ Zone_ID: e.zoneId, LockGroup_ID: g, Name: e.zoneName, Description: "", Type: 4 });
  let n = 0;
  for (const access of e.accesses) {
    const lockIds = access.locks.map((name) => {
      n += 1;
      state.locks.push({ FLock_ID: lockId(n), LockGroup_ID: g, Name: name, blocklistVersion: 0 });
      return lockId(n);
    });
    state.securityAccesses.push({
      SecurityAccess_ID: access.id,
      LockGroup_ID: g,
      Name: access.name,
      Description: "",
      Type: 3,
      Status: 0,
      Zone_ID: e.zoneId,
      lockIds,
    });
  }
  return e;
}

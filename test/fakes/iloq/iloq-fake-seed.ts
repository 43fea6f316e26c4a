// Seeds a demo locking system into the fake: one customer, one lock group, zones, locks and access rights.
import type { IloqFakeState } from "./iloq-fake-types";

export interface IloqDemoSeed {
  customerCode: string;
  userName: string;
  password: string;
  lockGroupId: string;
  timeZoneStandardName: string;
  /** API-type (3) rights the bridge may assign. */
  apiAccessIds: string[];
  /** A standard-type (1) right only iLOQ Manager may assign. */
  standardAccessId: string;
  lockIds: string[];
  zoneId: string;
}

export const DEMO_SEED: IloqDemoSeed = {
  customerCode: "DEMO-0001",
  userName: "keybridge-api",
  password: "demo-password",
  lockGroupId: "3f2b1c9e-0000-4000-8000-00000000a001",
  timeZoneStandardName: "FLE Standard Time",
  apiAccessIds: [
    "5a000000-0000-4000-8000-000000000001",
    "5a000000-0000-4000-8000-000000000002",
    "5a000000-0000-4000-8000-000000000003",
    "5a000000-0000-4000-8000-000000000004",
  ],
  standardAccessId: "5a000000-0000-4000-8000-000000000009",
  lockIds: ["f1000000-0000-4000-8000-000000000001", "f1000000-0000-4000-8000-000000000002"],
  zoneId: "20000000-0000-4000-8000-000000000001",
};

export function seedDemo(state: IloqFakeState, seed: IloqDemoSeed = DEMO_SEED): IloqDemoSeed {
  const g = seed.lockGroupId;
  state.users.push({
    UserName: seed.userName,
    Password: seed.password,
    CustomerCode: seed.customerCode,
    failedLogins: 0,
    lockedOut: false,
    RightsMask: Number.MAX_SAFE_INTEGER,
  });
  state.lockGroups.push({
    LockGroup_ID: g,
    Name: "Demo plant",
    Description: "keybridge demo locking system",
    Customer_ID: seed.customerCode,
    CountryCode: "FI",
    TimeZoneStandardName: seed.timeZoneStandardName,
    State: 0,
    OptionMask: 0,
    apiEnabled: true,
  });
  state.zones.push({ Zone_ID: seed.zoneId, LockGroup_ID: g, Name: "Site", Description: "", Type: 4 });
  const [mainDoor, controlRoom] = seed.lockIds;
  state.locks.push(
    { FLock_ID: mainDoor!, LockGroup_ID: g, Name: "Main gate", blocklistVersion: 0 },
    { FLock_ID: controlRoom!, LockGroup_ID: g, Name: "Control room", blocklistVersion: 0 },
  );
  const names = ["API Main gate", "API Control room", "API Substation", "API Workshop"];
  const locksOf = [[mainDoor!], [controlRoom!], [], []];
  seed.apiAccessIds.forEach((id, i) => {
    state.securityAccesses.push({
      SecurityAccess_ID: id,
      LockGroup_ID: g,
      Name: names[i] ?? `API access ${i + 1}`,
      Description: "",
      Type: 3,
      Status: 0,
      Zone_ID: seed.zoneId,
      lockIds: locksOf[i] ?? [],
    });
  });
  state.securityAccesses.push({
    SecurityAccess_ID: seed.standardAccessId,
    LockGroup_ID: g,
    Name: "Master (standard)",
    Description: "",
    Type: 1,
    Status: 0,
    Zone_ID: seed.zoneId,
    lockIds: [...seed.lockIds],
  });
  return seed;
}

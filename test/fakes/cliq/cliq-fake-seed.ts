// The default data of the CLIQ fake: one domain with cylinders, a group, access profiles, a schedule and
// keys in stock (dynamic, CLIQ Connect and normal), plus the API user the test API certificate maps to.
import { ALL_PROCEDURES, type CliqSeed, type Cylinder, type Key, type KeyType } from "./cliq-fake-types";

export const SEED_DOMAIN = "dom-1";
export const OTHER_DOMAIN = "dom-2";
/** Subject CN of test/fakes/cliq/pki/client.pem. */
export const API_CERT_CN = "keybridge-api";

function cylinder(id: string, domainId: string, groupId: string | null = null): Cylinder {
  return {
    id,
    marking: id.toUpperCase(),
    name: `Door ${id}`,
    domainId,
    groupId,
    blocklist: [],
    pendingBlocklist: [],
    lastProgrammedAt: null,
  };
}

export function seedKey(id: string, serial: string, keyType: KeyType, domainId = SEED_DOMAIN): Key {
  return {
    id,
    serial,
    keyType,
    status: "in_stock",
    holderId: null,
    validity: { mode: "never" },
    scheduleId: null,
    accessProfileIds: [],
    cylinderAuthorisations: [],
    revalidation: { enabled: true, intervalDays: 7 },
    accessListCapacity: 8,
    pendingUpdate: null,
    lastProgrammedAt: null,
    domainId,
    programmed: null,
  };
}

/** Serials of the dynamic keys in stock, in seed order (keys "key-d1" …). */
export const DYNAMIC_SERIALS = ["100000001", "100000002", "100000003", "100000004", "100000005", "100000006"];

export function defaultSeed(): CliqSeed {
  return {
    cylinders: [
      cylinder("cyl-1", SEED_DOMAIN),
      cylinder("cyl-2", SEED_DOMAIN),
      cylinder("cyl-3", SEED_DOMAIN),
      cylinder("cyl-4", SEED_DOMAIN),
      cylinder("cyl-5", SEED_DOMAIN, "grp-1"),
      cylinder("cyl-6", SEED_DOMAIN, "grp-1"),
      cylinder("cyl-9", OTHER_DOMAIN),
    ],
    cylinderGroups: [{ id: "grp-1", marking: "GRP-1", name: "Plant doors", domainId: SEED_DOMAIN }],
    accessProfiles: [
      {
        id: "ap-office",
        name: "Office",
        domainId: SEED_DOMAIN,
        cylinderIds: ["cyl-1", "cyl-2"],
        cylinderGroupIds: [],
      },
      { id: "ap-lab", name: "Lab", domainId: SEED_DOMAIN, cylinderIds: ["cyl-3"], cylinderGroupIds: [] },
      { id: "ap-plant", name: "Plant", domainId: SEED_DOMAIN, cylinderIds: [], cylinderGroupIds: ["grp-1"] },
      {
        id: "ap-server-room",
        name: "Server room",
        domainId: SEED_DOMAIN,
        cylinderIds: ["cyl-4"],
        cylinderGroupIds: [],
      },
      {
        id: "ap-remote-site",
        name: "Remote site",
        domainId: OTHER_DOMAIN,
        cylinderIds: ["cyl-9"],
        cylinderGroupIds: [],
      },
    ],
    schedules: [
      {
        id: "sch-office-hours",
        name: "Office hours",
        timeZone: "UTC",
        intervals: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: "07:00", end: "19:00" })),
      },
    ],
    keys: [
      ...DYNAMIC_SERIALS.map((s, i) => seedKey(`key-d${i + 1}`, s, "dynamic")),
      seedKey("key-c1", "300000001", "connect"),
      seedKey("key-c2", "300000002", "connect"),
      seedKey("key-n1", "200000001", "normal"),
      seedKey("key-n2", "200000002", "normal"),
      seedKey("key-x1", "900000001", "dynamic", OTHER_DOMAIN),
    ],
    apiUsers: {
      [API_CERT_CN]: { name: "keybridge integration", procedures: ALL_PROCEDURES, domainIds: [SEED_DOMAIN] },
    },
  };
}

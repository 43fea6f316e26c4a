// Seeds the iLOQ and CLIQ fakes with what the shipped example (mappings/) refers to — its lock group,
// zone, security accesses, CLIQ domain and access profiles — so the example runs against them as is.
// (Helper E makes `keybridge simulate iloq|cliq` seed the same references; these seeds should then
// come from there.)
import type { CliqSeed, Cylinder } from "../fakes/cliq/cliq-fake-types";
import { API_CERT_CN, DYNAMIC_SERIALS, defaultSeed, seedKey } from "../fakes/cliq/cliq-fake-seed";
import { DEMO_SEED, type IloqDemoSeed, seedDemo } from "../fakes/iloq/iloq-fake-seed";
import type { IloqFakeState } from "../fakes/iloq/iloq-fake-types";

/** mappings/key-systems.yaml main-iloq scope, and every vendorRef its profiles bind. */
export const EXAMPLE_ILOQ: IloqDemoSeed = {
  ...DEMO_SEED,
  lockGroupId: "7c1f3e2a-0d4b-4f7e-9a61-3f0c2b8d5e10",
  zoneId: "2d9b6a41-81c3-4e55-b0f2-6a7d1c9e3b24",
  timeZoneStandardName: "W. Europe Standard Time",
  apiAccessIds: [
    "sa-hq-entrance",
    "sa-hq-offices",
    "sa-control-room",
    "sa-waterworks",
    "sa-fire-depot-hq",
    "sa-fire-depot-waterworks",
  ],
};

export function seedExampleIloq(state: IloqFakeState): IloqDemoSeed {
  return seedDemo(state, EXAMPLE_ILOQ);
}

/** mappings/key-systems.yaml substations-cliq scope. */
export const EXAMPLE_CLIQ_DOMAIN = "nordwerk-substations";
export const EXAMPLE_CLIQ_PROFILES = [
  "ap-substation-nord",
  "ap-substation-sued",
  "ap-substation-yards",
  "ap-fire-depot",
];

export function exampleCliqSeed(): CliqSeed {
  const base = defaultSeed();
  const cylinders: Cylinder[] = EXAMPLE_CLIQ_PROFILES.map((profile, i) => ({
    id: `cyl-sub-${i + 1}`,
    marking: `SUB-${i + 1}`,
    name: `Door of ${profile}`,
    domainId: EXAMPLE_CLIQ_DOMAIN,
    groupId: null,
    blocklist: [],
    pendingBlocklist: [],
    lastProgrammedAt: null,
  }));
  return {
    ...base,
    cylinders: [...(base.cylinders ?? []), ...cylinders],
    accessProfiles: [
      ...(base.accessProfiles ?? []),
      ...EXAMPLE_CLIQ_PROFILES.map((id, i) => ({
        id,
        name: id,
        domainId: EXAMPLE_CLIQ_DOMAIN,
        cylinderIds: [`cyl-sub-${i + 1}`],
        cylinderGroupIds: [],
      })),
    ],
    // Dynamic keys in stock in the substations domain (serials 4000000nn).
    keys: DYNAMIC_SERIALS.map((_, i) =>
      seedKey(`key-s${i + 1}`, `40000000${i + 1}`, "dynamic", EXAMPLE_CLIQ_DOMAIN),
    ),
    apiUsers: {
      [API_CERT_CN]: {
        name: "keybridge integration",
        procedures: base.apiUsers?.[API_CERT_CN]?.procedures ?? [],
        domainIds: [EXAMPLE_CLIQ_DOMAIN],
      },
    },
  };
}

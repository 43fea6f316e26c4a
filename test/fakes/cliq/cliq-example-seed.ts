// The CLIQ installation of the shipped example (mappings/key-systems.yaml `substations-cliq`, the CLIQ
// vendorRefs of mappings/profiles.yaml), seeded by `keybridge simulate cliq` so the example runs against
// the simulator as is: the domain, its cylinders, the access profiles the profiles bind, dynamic and CLIQ
// Connect keys in stock, and the API user the simulator's client certificate maps to.
// test/fakes/example-seeds.test.ts checks that every scope value and vendorRef the example names exists.
import { API_CERT_CN, seedKey } from "./cliq-fake-seed";
import { ALL_PROCEDURES, type CliqSeed, type Cylinder } from "./cliq-fake-types";

export const EXAMPLE_CLIQ = {
  domainId: "nordwerk-substations",
  /** Access profiles the example binds: id, name, cylinders. */
  accessProfiles: [
    { id: "ap-substation-nord", name: "Substation Nord", cylinders: ["nord-switchgear", "nord-yard"] },
    { id: "ap-substation-sued", name: "Substation Süd", cylinders: ["sued-switchgear", "sued-yard"] },
    { id: "ap-substation-yards", name: "Substation yards", cylinders: ["nord-yard", "sued-yard"] },
    { id: "ap-fire-depot", name: "Fire brigade key depots", cylinders: ["nord-key-depot", "sued-key-depot"] },
  ],
  cylinders: {
    "nord-switchgear": "Nord switchgear building",
    "nord-yard": "Nord yard gate",
    "nord-key-depot": "Nord fire brigade key depot",
    "sued-switchgear": "Süd switchgear building",
    "sued-yard": "Süd yard gate",
    "sued-key-depot": "Süd fire brigade key depot",
  } as Record<string, string>,
  /** Engraved 9-digit serials of the keys in stock: six dynamic keys, two CLIQ Connect keys. */
  dynamicSerials: ["410000001", "410000002", "410000003", "410000004", "410000005", "410000006"],
  connectSerials: ["430000001", "430000002"],
  /** Days a key works without meeting a programming device (revalidation, §1.2). */
  revalidationDays: 7,
} as const;

function cylinder(id: string, name: string): Cylinder {
  return {
    id,
    marking: id.toUpperCase(),
    name,
    domainId: EXAMPLE_CLIQ.domainId,
    groupId: null,
    blocklist: [],
    pendingBlocklist: [],
    lastProgrammedAt: null,
  };
}

export function exampleCliqSeed(): CliqSeed {
  const e = EXAMPLE_CLIQ;
  const key = (prefix: string, serial: string, type: "dynamic" | "connect", i: number) => ({
    ...seedKey(`${prefix}${i + 1}`, serial, type, e.domainId),
    revalidation: { enabled: true, intervalDays: e.revalidationDays },
  });
  return {
    cylinders: Object.entries(e.cylinders).map(([id, name]) => cylinder(id, name)),
    cylinderGroups: [],
    accessProfiles: e.accessProfiles.map((p) => ({
      id: p.id,
      name: p.name,
      domainId: e.domainId,
      cylinderIds: [...p.cylinders],
      cylinderGroupIds: [],
    })),
    schedules: [],
    keys: [
      ...e.dynamicSerials.map((s, i) => key("key-d", s, "dynamic", i)),
      ...e.connectSerials.map((s, i) => key("key-c", s, "connect", i)),
    ],
    apiUsers: {
      [API_CERT_CN]: { name: "keybridge integration", procedures: ALL_PROCEDURES, domainIds: [e.domainId] },
    },
  };
}

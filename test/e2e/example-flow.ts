// The shipped example (mappings/) end to end, shared by the memory, iLOQ and CLIQ e2e tests: persons an
// Entra, an Okta and a SailPoint tenant provision with the HR facts the example's rules need, the grants
// each must get, and the run: provision → grants effective → the key system's own state holds them →
// the IdP deactivates → revocations effective → the key system's own state holds nothing.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { holderExternalId } from "../../src/access/holder-spec";
import { loadCheckedMappings } from "../../src/runtime/driver-scope-schemas";
import type { LedgerEntry } from "../../src/reconcile/ledger-entry";
import type { E2eKeybridge } from "./e2e-processes";
import { deactivate, type Idp, type PersonFacts, provision } from "./idp-sequences";

export const EXAMPLE_TENANTS = [
  { id: "nordwerk-entra", displayName: "Nordwerk Entra ID", kind: "entra" },
  { id: "nordwerk-okta", displayName: "Nordwerk Okta", kind: "okta" },
  { id: "nordwerk-sailpoint", displayName: "Nordwerk SailPoint", kind: "sailpoint" },
] as const;
const TENANT_OF: Record<Idp, string> = {
  entra: "nordwerk-entra",
  okta: "nordwerk-okta",
  sailpoint: "nordwerk-sailpoint",
};

/**
 * A copy of the shipped example with the one edit an operator with three IdP connections makes: the
 * rules name all three tenants. `drivers` optionally swaps vendor drivers (the memory e2e).
 */
export function exampleMappings(drivers: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "kb-example-"));
  cpSync(join(__dirname, "../../mappings"), dir, { recursive: true });
  const rules = readFileSync(join(dir, "rules.yaml"), "utf8").replaceAll(
    "tenants: [nordwerk-entra]",
    `tenants: [${EXAMPLE_TENANTS.map((t) => t.id).join(", ")}]`,
  );
  writeFileSync(join(dir, "rules.yaml"), rules);
  // A swapped system drops its vendor scope too: each driver checks its own scope's shape.
  const docs = parseAllDocuments(readFileSync(join(dir, "key-systems.yaml"), "utf8"));
  for (const doc of docs) {
    const driver = drivers[String(doc.get("id"))];
    if (driver === undefined) continue;
    doc.set("driver", driver);
    doc.delete("scope");
  }
  writeFileSync(join(dir, "key-systems.yaml"), docs.map((d) => stringify(d.toJS())).join("---\n"));
  return dir;
}

const GROUPS = {
  crOperators: { externalId: "5b0e6c2d-3f1a-4a8e-9d47-0c2f9e1b7a31", displayName: "CR Operators" },
  substationNord: {
    externalId: "8e4a1f60-2b7c-4d19-a5e3-91c0d6f2b8a7",
    displayName: "Substation Nord technicians",
  },
  contractors: {
    externalId: "f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9",
    displayName: "Contractors - Substations",
  },
};

/** Expected grants per key system: profile → the vendor refs the example binds. */
export type ExpectedGrants = Record<string, Record<string, string[]>>;

const SHIPPED = loadCheckedMappings(join(__dirname, "../../mappings"));

/** Per key system the profiles a person should hold, with the refs the shipped mappings bind to them. */
function grants(profiles: Record<string, string[]>): ExpectedGrants {
  const refs = (system: string, profile: string) => {
    const binding = SHIPPED.profiles.get(profile)?.bindings.find((b) => b.system === system);
    if (!binding) throw new Error(`the example binds no ${profile} in ${system}`);
    return [...binding.vendorRefs].sort();
  };
  return Object.fromEntries(
    Object.entries(profiles).map(([system, names]) => [
      system,
      Object.fromEntries(names.map((p) => [p, refs(system, p)])),
    ]),
  );
}

export interface ExamplePerson {
  idp: Idp;
  facts: PersonFacts;
  expect: ExpectedGrants;
}

export const EXAMPLE_PERSONS: ExamplePerson[] = [
  {
    idp: "entra",
    facts: {
      userName: "grete.operator@nordwerk.example",
      employeeType: "Employee",
      department: "Grid Operations",
      site: "hq",
      groups: [GROUPS.crOperators, GROUPS.substationNord],
      mobile: "+4915100000001",
    },
    expect: grants({
      "main-iloq": ["hq-general", "control-room"],
      "substations-cliq": ["substation-access"],
    }),
  },
  {
    idp: "okta",
    facts: {
      userName: "frank.liaison@nordwerk.example",
      employeeType: "Employee",
      site: "hq",
      roles: ["emergency-services"],
      mobile: "+4915100000002",
    },
    expect: grants({
      "main-iloq": ["hq-general", "emergency-services"],
      "substations-cliq": ["emergency-services"],
    }),
  },
  {
    idp: "sailpoint",
    facts: {
      userName: "lena.apprentice@nordwerk.example",
      employeeType: "Apprentice",
      site: "waterworks",
      mobile: "+4915100000003",
    },
    expect: grants({ "main-iloq": ["hq-general", "waterworks"] }),
  },
  {
    idp: "sailpoint",
    facts: {
      userName: "piet.contractor@nordwerk.example",
      employeeType: "Contractor",
      accessValidUntil: "2099-12-31",
      groups: [GROUPS.contractors],
      mobile: "+4915100000004",
    },
    expect: grants({ "substations-cliq": ["substation-contractor"] }),
  },
];

/** mappings/profiles.yaml control-room, as the driver contract carries it (minutes of the local day). */
export const CONTROL_ROOM_SCHEDULE = {
  timeZone: "Europe/Berlin",
  windows: [
    { days: ["mon", "tue", "wed", "thu", "fri"], startMinute: 5 * 60 + 45, endMinute: 22 * 60 + 15 },
    { days: ["sat", "sun"], startMinute: 6 * 60 + 45, endMinute: 19 * 60 + 15 },
  ],
};

/** What the e2e test reads from, and does to, the key system's own side. */
export interface VendorSide {
  system: string;
  /** Vendor refs the person's credentials physically hold (programmed), from the vendor's own state. */
  heldRefs(holderExternalId: string): Promise<string[]>;
  /** The physical step that makes pending programming effective (phone app fetch, key in a remote PD). */
  program(holderExternalId: string): Promise<void>;
  /** Extra checks of the vendor's state once granted (e.g. the control room's schedule). */
  checkGranted?(holderExternalId: string, expected: Record<string, string[]>): Promise<void>;
  /** States a revocation may rest in before the physical step. */
  revokePendingStates: string[];
  /** Whether such a pending revocation must carry its exposure deadline (issue #10: CLIQ physical keys). */
  pendingRevocationHasDeadline?: boolean;
}

async function settle(
  kb: E2eKeybridge,
  vendor: VendorSide,
  tenant: string,
  id: string,
  profiles: string[],
  action: "grant" | "revoke",
): Promise<LedgerEntry[]> {
  const ext = holderExternalId(tenant, vendor.system, id);
  const pending = action === "grant" ? ["pending_programming", "effective"] : vendor.revokePendingStates;
  const reached = await Promise.all(
    profiles.map((p) => kb.waitForLedger(tenant, vendor.system, id, p, action, [...pending, "effective"])),
  );
  await vendor.program(ext);
  const done = await Promise.all(
    profiles.map((p) => kb.waitForLedger(tenant, vendor.system, id, p, action, ["effective"])),
  );
  return [...reached.flat(), ...done.flat()];
}

async function checkHeld(vendor: VendorSide, ext: string, refs: string[], what: string): Promise<void> {
  const held = await vendor.heldRefs(ext);
  if (JSON.stringify(held) !== JSON.stringify(refs))
    throw new Error(
      `${what}: ${vendor.system} holds ${JSON.stringify(held)}, expected ${JSON.stringify(refs)}`,
    );
}

/**
 * The whole life of one example person in the given key systems (those the person has grants in);
 * throws with what it saw on failure. Returns the ledger states the revocations passed through.
 */
export async function runExamplePerson(kb: E2eKeybridge, vendors: VendorSide[], person: ExamplePerson) {
  const sides = vendors.filter((v) => person.expect[v.system]);
  const tenant = TENANT_OF[person.idp];
  const scim = await kb.scim(tenant);
  const id = await provision(person.idp, scim, person.facts);
  const what = `${person.idp} ${person.facts.userName}`;
  const profilesOf = (v: VendorSide) => Object.keys(person.expect[v.system] ?? {}).sort();
  const extOf = (v: VendorSide) => holderExternalId(tenant, v.system, id);

  for (const v of sides) {
    await settle(kb, v, tenant, id, profilesOf(v), "grant");
    const expected = person.expect[v.system] ?? {};
    await checkHeld(v, extOf(v), [...new Set(Object.values(expected).flat())].sort(), what);
    await v.checkGranted?.(extOf(v), expected);
  }

  await deactivate(person.idp, scim, id);
  const revoked: LedgerEntry[] = [];
  for (const v of sides) {
    const states = await settle(kb, v, tenant, id, profilesOf(v), "revoke");
    revoked.push(...states);
    await checkHeld(v, extOf(v), [], `${what} after deactivation`);
    const withoutDeadline = states.filter((e) => e.state.startsWith("pending") && !e.exposureUntil);
    if (v.pendingRevocationHasDeadline && withoutDeadline.length > 0)
      throw new Error(
        `${what}: a pending revocation has no exposureUntil: ${JSON.stringify(withoutDeadline)}`,
      );
  }
  return { id, tenant, revoked };
}

/** Runs every person at once and reports each one's failure (not only the first). */
export async function runExamplePersons(
  kb: E2eKeybridge,
  vendors: VendorSide[],
  persons: ExamplePerson[],
): Promise<void> {
  const results = await Promise.allSettled(persons.map((p) => runExamplePerson(kb, vendors, p)));
  const failures = results.flatMap((r, i) =>
    r.status === "rejected"
      ? [`${persons[i]?.idp} ${persons[i]?.facts.userName}: ${(r.reason as Error).message}`]
      : [],
  );
  if (failures.length > 0) throw new Error(failures.join("\n"));
}

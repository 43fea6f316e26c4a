// Mapping benchmark: evaluates 100,000 synthetic persons against the example mappings and times a
// mapping plan over all of them. Run: npx tsx bench/mapping-bench.ts [persons]
// Prints a reference figure from the same run (JSON.parse of the same persons) so results are ratios.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { desiredGrants, evaluatePerson } from "../src/mapping/evaluate-person";
import { parseMappingSources, readMappingSources } from "../src/mapping/load-mappings";
import type { TenantPerson } from "../src/mapping/persons-file";
import { planMappingChange } from "../src/mapping/plan-mapping-change";
import {
  ENTERPRISE_USER_URN,
  type GroupRef,
  KEYBRIDGE_USER_URN,
  type StoredUser,
} from "../src/store/directory-types";

const COUNT = Number(process.argv[2] ?? 100_000);
const NOW = new Date("2026-06-15T08:00:00Z");
const TENANT = "nordwerk-entra";

/** Deterministic PRNG (mulberry32) so every run measures the same population. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fixture = JSON.parse(
  readFileSync(join(__dirname, "../test/fixtures/mapping/persons.json"), "utf8"),
) as {
  groups: GroupRef[];
};
const filler: GroupRef[] = Array.from({ length: 400 }, (_, i) => ({
  id: `g-f${i}`,
  externalId: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
  displayName: `Team ${i}`,
}));

function synthesize(count: number): TenantPerson[] {
  const rnd = prng(42);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const types = ["Employee", "Employee", "Employee", "Employee", "Apprentice", "Contractor", "External"];
  const departments = [
    "Grid Operations",
    "Substations",
    "Water Supply",
    "IT",
    "Finance",
    "HR",
    "Water Treatment",
  ];
  const sites = ["hq", "substation-north", "substation-south", "waterworks"];
  return Array.from({ length: count }, (_, i): TenantPerson => {
    const type = pick(types);
    const groups = [
      pick(fixture.groups),
      ...Array.from({ length: 4 + Math.floor(rnd() * 10) }, () => pick(filler)),
    ];
    const user: StoredUser = {
      schemas: [],
      id: `p-${i}`,
      userName: `person${i}@nordwerk.example`,
      active: rnd() > 0.05,
      title: "Staff",
      meta: {
        resourceType: "User",
        created: "2026-06-01T00:00:00Z",
        lastModified: "2026-06-01T00:00:00Z",
        version: "1",
      },
      [ENTERPRISE_USER_URN]: {
        employeeType: type,
        department: pick(departments),
        costCenter: `CC-${i % 97}`,
      },
      [KEYBRIDGE_USER_URN]:
        type === "Contractor"
          ? { accessValidFrom: "2026-06-01", accessValidUntil: "2026-08-31" }
          : { site: pick(sites) },
    };
    if (rnd() < 0.01) user.roles = [{ value: "emergency-services" }];
    return { tenant: TENANT, user, groups };
  });
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

const perSecond = (n: number, ms: number) => Math.round((n / ms) * 1000).toLocaleString("en-US");

function main(): void {
  const dir = join(__dirname, "../mappings");
  const sources = readMappingSources(dir);
  const load = time(() => parseMappingSources(sources));
  const current = load.value;
  // The candidate widens the control room rule, as a reviewer's pull request might.
  const candidate = parseMappingSources(
    sources.map((s) => ({
      ...s,
      text: s.text.replace("department: Grid Operations", "department: { in: [Grid Operations, IT] }"),
    })),
  );
  const persons = synthesize(COUNT);
  const json = JSON.stringify(persons);

  for (const p of persons.slice(0, 2000)) desiredGrants(p, TENANT, current, NOW); // warm-up
  const parse = time(() => JSON.parse(json) as unknown[]);
  const fast = time(() => {
    let grants = 0;
    for (const p of persons) grants += desiredGrants(p, TENANT, current, NOW).length;
    return grants;
  });
  const full = time(() => {
    let n = 0;
    for (const p of persons) n += evaluatePerson(p, TENANT, current, NOW).explanations.length;
    return n;
  });
  const plan = time(() => planMappingChange(persons, current, candidate, NOW));

  const lines = [
    `node ${process.version}, ${COUNT.toLocaleString("en-US")} synthetic persons, ${current.rules.length} rules, ${current.profiles.size} profiles`,
    `load+validate example mappings:      ${load.ms.toFixed(1)} ms`,
    `reference JSON.parse of the persons: ${parse.ms.toFixed(0)} ms (${perSecond(COUNT, parse.ms)} persons/s, ${(json.length / 1e6).toFixed(0)} MB)`,
    `desiredGrants (hot path):            ${fast.ms.toFixed(0)} ms (${perSecond(COUNT, fast.ms)} evaluations/s, ${fast.value} grants) = ${(parse.ms / fast.ms).toFixed(2)}× JSON.parse speed`,
    `evaluatePerson (with explanations):  ${full.ms.toFixed(0)} ms (${perSecond(COUNT, full.ms)} evaluations/s) = ${(parse.ms / full.ms).toFixed(2)}× JSON.parse speed`,
    `planMappingChange over all persons:  ${plan.ms.toFixed(0)} ms (${plan.value.gains.length} gains, ${plan.value.losses.length} losses, ${plan.value.personsChanged} persons affected)`,
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

main();

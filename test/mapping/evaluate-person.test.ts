// Evaluation semantics, table-driven: each case names the rule of the mapping semantics it protects.
import type { DesiredGrant } from "../../src/access/desired-grant";
import { evaluatePerson } from "../../src/mapping/evaluate-person";
import { parseMappingSources } from "../../src/mapping/load-mappings";
import { rule, sources } from "./mapping-sources";
import { group, type PersonSpec, person } from "./person-builder";

const RULES = [
  rule("r-office", "match: { department: Ops }\ngrants: [office]"),
  rule("r-plant-group", "match: { group: { externalId: ext-plant } }\ngrants: [plant]"),
  rule("r-plant-role", "match: { role: plant-operator }\ngrants: [plant]"),
  rule(
    "r-later",
    "match: { title: Later }\ngrants: [plant]\nvalidity: { notBefore: '2026-09-01T00:00:00Z', boundedByAccessValidUntil: false }",
  ),
  rule(
    "r-contractor",
    "match:\n  all: [{ employeeType: Contractor }, { group: { externalId: ext-contractors } }]\ngrants: [short]\nvalidity: { maxDays: 30 }",
  ),
  rule("r-name", "match: { group: { displayName: Door Demo, byDisplayName: true } }\ngrants: [office]"),
  rule("r-tenant", "tenants: [t2]\nmatch: { title: Boss }\ngrants: [plant]"),
  rule(
    "r-site",
    "match:\n  all: [{ site: hq }, { not: { userType: Guest } }]\ngrants: [office]\nvalidity: { boundedByAccessValidUntil: false }",
  ),
  rule(
    "r-expired",
    "match: { title: Temp }\ngrants: [plant]\nvalidity: { notAfter: '2026-01-01T00:00:00Z' }",
  ),
].join("---\n");

const mappings = parseMappingSources(sources(RULES));
const NOW = new Date("2026-06-15T08:00:00Z");

/** `system/profile from..until [reasons]`, readable in a failing diff. */
function summary(g: DesiredGrant): string {
  return `${g.system}/${g.profile} ${g.notBefore ?? "-"}..${g.notAfter ?? "-"} [${g.reasons.join(",")}]`;
}

const plantGroup = group("g1", "Plant", "ext-plant");
const contractors = group("g2", "Contractors", "ext-contractors");

const cases: Array<{ protects: string; tenant?: string; spec: PersonSpec; expected: string[] }> = [
  {
    protects: "desired access is the union of all matching rules",
    spec: { department: "Ops", groups: [plantGroup] },
    expected: ["locks/office -..- [r-office]", "locks/plant -..- [r-plant-group]"],
  },
  {
    protects: "inactive persons get nothing, whatever matches",
    spec: { active: false, department: "Ops", groups: [plantGroup] },
    expected: [],
  },
  {
    protects: "several rules granting one profile merge into one grant listing every rule",
    spec: { roles: ["plant-operator"], groups: [plantGroup] },
    expected: ["locks/plant -..- [r-plant-group,r-plant-role]"],
  },
  {
    protects: "groups match by externalId, not by a displayName that looks the same",
    spec: { groups: [group("g9", "ext-plant", "other")] },
    expected: [],
  },
  {
    protects: "byDisplayName matches the group name case-insensitively (RFC 7643 caseExact=false)",
    spec: { groups: [group("g3", "door demo")] },
    expected: ["locks/office -..- [r-name]"],
  },
  { protects: "rules apply only to their tenants (other tenant)", spec: { title: "Boss" }, expected: [] },
  {
    protects: "rules apply only to their tenants (own tenant)",
    tenant: "t2",
    spec: { title: "Boss" },
    expected: ["locks/plant -..- [r-tenant]"],
  },
  {
    protects: "attribute values compare case-insensitively (department is caseExact=false)",
    spec: { department: "ops" },
    expected: ["locks/office -..- [r-office]"],
  },
  {
    protects: "site is a comma-separated list of site codes",
    spec: { site: "plant-2, hq" },
    expected: ["locks/office -..- [r-site]"],
  },
  {
    protects: "not excludes (guests never get r-site)",
    spec: { site: "hq", userType: "Guest" },
    expected: [],
  },
  {
    protects: "a date-only accessValidFrom sets notBefore at local midnight of the key system's zone",
    spec: { department: "Ops", accessValidFrom: "2026-07-01" },
    expected: ["locks/office 2026-06-30T22:00:00.000Z..- [r-office]"],
  },
  {
    protects: "a date-only accessValidUntil ends access at the end of that local day",
    spec: { department: "Ops", accessValidUntil: "2026-06-30" },
    expected: ["locks/office -..2026-06-30T22:00:00.000Z [r-office]"],
  },
  {
    protects: "a grant whose window closed before now is not desired",
    spec: { department: "Ops", accessValidUntil: "2026-06-01T00:00:00Z" },
    expected: [],
  },
  {
    protects: "an unparseable accessValidUntil withholds the grant (fail-safe)",
    spec: { department: "Ops", accessValidUntil: "soon" },
    expected: [],
  },
  {
    protects: "maxDays and profile maxValidity count from accessValidFrom; the tighter wins",
    spec: { employeeType: "Contractor", groups: [contractors], accessValidFrom: "2026-06-10T00:00:00Z" },
    expected: ["locks/short 2026-06-10T00:00:00.000Z..2026-06-17T00:00:00.000Z [r-contractor]"],
  },
  {
    protects: "without accessValidFrom the limits count from meta.created (stable anchor)",
    spec: { employeeType: "Contractor", groups: [contractors], created: "2026-06-12T00:00:00Z" },
    expected: ["locks/short -..2026-06-19T00:00:00.000Z [r-contractor]"],
  },
  {
    protects: "a limit counted from an old anchor has closed: no access without a new accessValidFrom",
    spec: { employeeType: "Contractor", groups: [contractors], created: "2026-05-01T00:00:00Z" },
    expected: [],
  },
  {
    protects: "a rule's absolute notAfter ends its grants",
    spec: { title: "Temp" },
    expected: [],
  },
  {
    protects: "merged windows take the widest justified window (r-site ignores accessValidUntil)",
    spec: { department: "Ops", site: "hq", accessValidUntil: "2026-06-30T00:00:00Z" },
    expected: ["locks/office -..- [r-office,r-site]"],
  },
  {
    protects: "disjoint windows are not bridged: the earliest window wins with only its rules",
    spec: { roles: ["plant-operator"], title: "Later", accessValidUntil: "2026-07-31T00:00:00Z" },
    expected: ["locks/plant -..2026-07-31T00:00:00.000Z [r-plant-role]"],
  },
];

describe("evaluatePerson", () => {
  it.each(cases)("$protects", ({ tenant, spec, expected }) => {
    const evaluation = evaluatePerson(person(spec), tenant ?? "t1", mappings, NOW);
    expect(evaluation.grants.map(summary)).toEqual(expected);
  });

  it("carries vendor refs and criticality on each grant", () => {
    const [grant] = evaluatePerson(person({ groups: [plantGroup] }), "t1", mappings, NOW).grants;
    expect(grant).toMatchObject({
      system: "locks",
      profile: "plant",
      vendorRefs: ["door-plant"],
      critical: true,
    });
  });

  it("explains matched rules with the values seen, and near misses with the failed condition", () => {
    const spec = { employeeType: "Employee", groups: [contractors], department: "Ops" };
    const { explanations } = evaluatePerson(person(spec), "t1", mappings, NOW);
    const byRule = new Map(explanations.map((e) => [e.rule, e]));
    expect(byRule.get("r-office")).toMatchObject({
      outcome: "matched",
      evidence: [{ condition: 'department = "Ops"', seen: ["Ops"] }],
    });
    expect(byRule.get("r-contractor")).toMatchObject({
      outcome: "not-matched",
      nearMiss: [{ condition: 'employeeType = "Contractor"', seen: ["Employee"] }],
    });
    expect(byRule.get("r-tenant")?.outcome).toBe("not-for-tenant");
    expect(byRule.get("r-plant-role")?.nearMiss).toBeUndefined(); // one-test rules are never "near"
    expect(explanations.map((e) => e.rule)).toEqual([...explanations.map((e) => e.rule)].sort());
  });

  it("explains a closed window of a matched rule as withheld", () => {
    const { explanations } = evaluatePerson(person({ title: "Temp" }), "t1", mappings, NOW);
    const temp = explanations.find((e) => e.rule === "r-expired");
    expect(temp?.grants).toEqual([
      { system: "locks", profile: "plant", withheld: "validity window already closed" },
    ]);
  });
});

describe("desired grants are safe to hand around", () => {
  it("share frozen vendor refs, so one consumer cannot change another person's grant", () => {
    const [a] = evaluatePerson(person({ groups: [plantGroup] }), "t1", mappings, NOW).grants;
    expect(() => a?.vendorRefs.push("door-vault")).toThrow(TypeError);
    const [b] = evaluatePerson(person({ groups: [plantGroup] }), "t1", mappings, NOW).grants;
    expect(b?.vendorRefs).toEqual(["door-plant"]);
  });
});

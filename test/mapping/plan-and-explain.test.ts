// Plan (who gains/loses what under candidate mappings), explain, reload and fingerprint behaviour.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkGroupReferences } from "../../src/mapping/check-group-references";
import { explainPerson } from "../../src/mapping/explain-person";
import { parseMappingSources } from "../../src/mapping/load-mappings";
import { MappingHolder } from "../../src/mapping/mapping-holder";
import { planMappingChange } from "../../src/mapping/plan-mapping-change";
import { PROFILES, rule, SYSTEMS, sources } from "./mapping-sources";
import { group, person } from "./person-builder";

const NOW = new Date("2026-06-15T08:00:00Z");
const ops = rule("r-ops", "match: { department: Ops }\ngrants: [office]");
const plant = rule("r-plant", "match: { group: { externalId: ext-plant } }\ngrants: [plant]");
const withTenant = (id: string, p: ReturnType<typeof person>) => ({
  tenant: "t1",
  ...p,
  user: { ...p.user, id },
});

describe("planMappingChange", () => {
  const persons = [
    withTenant("a", person({ department: "Ops" })),
    withTenant("b", person({ department: "Ops", groups: [group("g1", "Plant", "ext-plant")] })),
    withTenant("c", person({ department: "Sales" })),
  ];

  it("lists who gains and who loses which profile, with counts per profile", () => {
    const current = parseMappingSources(sources(`${ops}---\n${plant}`));
    const candidate = parseMappingSources(
      sources(`${rule("r-ops", "match: { department: { in: [Ops, Sales] } }\ngrants: [office]")}`),
    );
    const plan = planMappingChange(persons, current, candidate, NOW);
    expect(plan.gains.map((c) => `${c.personId} ${c.profile}`)).toEqual(["c office"]);
    expect(plan.losses.map((c) => `${c.personId} ${c.profile}`)).toEqual(["b plant"]);
    expect(plan.byProfile).toEqual([
      { system: "locks", profile: "office", gains: 1, losses: 0, modified: 0 },
      { system: "locks", profile: "plant", gains: 0, losses: 1, modified: 0 },
    ]);
    expect(plan).toMatchObject({ persons: 3, personsChanged: 2 });
  });

  it("reports changed windows of grants a person keeps", () => {
    const current = parseMappingSources(sources(ops));
    const candidate = parseMappingSources(
      sources(
        rule(
          "r-ops",
          "match: { department: Ops }\ngrants: [office]\nvalidity: { notAfter: '2027-01-01T00:00:00Z' }",
        ),
      ),
    );
    const plan = planMappingChange(persons, current, candidate, NOW);
    expect(plan.modified.map((c) => `${c.personId} ${c.profile} ${c.fields?.join(",")}`)).toEqual([
      "a office notAfter",
      "b office notAfter",
    ]);
    expect(plan.gains).toEqual([]);
    expect(plan.losses).toEqual([]);
  });

  it("is empty when nothing changes", () => {
    const m = parseMappingSources(sources(ops));
    expect(planMappingChange(persons, m, m, NOW)).toMatchObject({ personsChanged: 0, gains: [], losses: [] });
  });
});

describe("explainPerson", () => {
  it("names, per desired grant, the rules and the attribute values that produced it", () => {
    const m = parseMappingSources(sources(`${ops}---\n${plant}`));
    const x = explainPerson(person({ department: "Ops" }), "t1", m, NOW);
    expect(x.grants).toHaveLength(1);
    expect(x.grants[0]?.reasons).toEqual([
      {
        rule: "r-ops",
        source: "m/rules.yaml:1",
        evidence: [{ condition: 'department = "Ops"', seen: ["Ops"] }],
      },
    ]);
    expect(JSON.parse(JSON.stringify(x))).toEqual(x);
  });
});

describe("fingerprint", () => {
  it("ignores file layout and comments but changes with meaning", () => {
    const a = parseMappingSources(sources(`${ops}---\n${plant}`));
    const b = parseMappingSources([
      { file: "x.yaml", text: `# all in one file\n${plant}---\n${SYSTEMS}---\n${ops}---\n${PROFILES}` },
    ]);
    const c = parseMappingSources(sources(`${ops}---\n${plant.replace("ext-plant", "ext-plant-2")}`));
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(c.fingerprint).not.toBe(a.fingerprint);
  });
});

describe("MappingHolder", () => {
  it("keeps the last good mappings when a reload fails, and takes the next good one", () => {
    const dir = mkdtempSync(join(tmpdir(), "kb-holder-"));
    const write = (rules: string) => {
      for (const s of sources(rules)) writeFileSync(join(dir, s.file.slice(2)), s.text);
    };
    write(ops);
    const holder = new MappingHolder(dir);
    const first = holder.current;
    write(rule("r-ops", "match: { department: Ops }\ngrants: [offce]"));
    const failed = holder.reload();
    expect(failed.ok).toBe(false);
    expect(failed.ok === false && failed.problems[0]?.message).toMatch(/unknown profile "offce"/);
    expect(holder.current).toBe(first);
    write(`${ops}---\n${plant}`);
    expect(holder.reload()).toMatchObject({ ok: true, changed: true });
    expect(holder.current.rules.map((r) => r.name)).toEqual(["r-ops", "r-plant"]);
    expect(holder.reload()).toMatchObject({ ok: true, changed: false });
  });

  it("refuses to start on invalid mappings", () => {
    const dir = mkdtempSync(join(tmpdir(), "kb-holder-"));
    expect(() => new MappingHolder(dir)).toThrow(/no \*\.yaml mapping files/);
  });
});

describe("checkGroupReferences", () => {
  it("warns, with file and line, about groups the directory does not have", () => {
    const m = parseMappingSources(sources(`${ops}---\n${plant}`));
    expect(checkGroupReferences(m, [group("g1", "Plant", "ext-other")])).toEqual([
      {
        file: "m/rules.yaml",
        line: 10,
        path: "Rule/r-plant.match.group",
        message: 'no group with externalId "ext-plant" in the directory; the condition matches nobody',
      },
    ]);
    expect(checkGroupReferences(m, [group("g1", "Plant", "ext-plant")])).toEqual([]);
  });
});

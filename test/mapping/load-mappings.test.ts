// Loading and validation: every problem names file, line and path; typos fail loudly.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadMappings, parseMappingSources } from "../../src/mapping/load-mappings";
import { formatProblem, isMappingError, type MappingProblem } from "../../src/mapping/mapping-error";
import { rule, sources } from "./mapping-sources";

function problemsOf(rules: string): string[] {
  try {
    parseMappingSources(sources(rules));
  } catch (err) {
    if (!isMappingError(err)) throw err;
    expect(err.code).toBe("BRIDGE_MAPPING_INVALID");
    return err.problems.map((p: MappingProblem) => formatProblem(p));
  }
  return [];
}

describe("loadMappings reports one clear message with file and line", () => {
  it("for a wrong profile name", () => {
    const text = rule("r", "match: { department: Ops }\ngrants:\n  - office\n  - plnt");
    expect(problemsOf(text)).toEqual([
      'm/rules.yaml:7: Rule/r.grants[1]: unknown profile "plnt" (did you mean "plant"?)',
    ]);
  });

  it("for a YAML syntax error", () => {
    const text = rule("r", "match: { department: Ops\ngrants: [office]");
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^m\/rules\.yaml:\d+: document #1: YAML [A-Z_]+: /);
  });

  it("for an unknown attribute in a condition", () => {
    const text = rule("r", "match:\n  all:\n    - department: Ops\n    - departmnet: Grid\ngrants: [office]");
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^m\/rules\.yaml:7: Rule\/r\.match\.all\[1\]\.departmnet: unknown attribute "departmnet"/,
    );
  });

  it("for an unknown field of a document", () => {
    expect(problemsOf(rule("r", "match: { department: Ops }\ngrants: [office]\ngrant: [plant]"))).toEqual([
      'm/rules.yaml:6: Rule/r.grant: unknown field "grant"',
    ]);
  });
});

describe("loadMappings rejects", () => {
  const cases: Array<[string, string, RegExp]> = [
    [
      "an unknown kind",
      "apiVersion: keybridge.io/v1\nkind: Rul\nname: r\n",
      /:2: document #1: unknown kind "Rul"/,
    ],
    [
      "a wrong apiVersion",
      "apiVersion: keybridge.io/v2\nkind: Rule\n",
      /:1: document #1: apiVersion must be "keybridge.io\/v1"/,
    ],
    [
      "a duplicate rule name",
      `${rule("r", "match: { title: A }\ngrants: [office]")}---\n${rule("r", "match: { title: B }\ngrants: [office]")}`,
      /:9: Rule\/r\.name: duplicate Rule "r" \(first defined at m\/rules\.yaml:1\)/,
    ],
    [
      "contradictory all (one attribute, two values)",
      rule("r", "match:\n  all: [{ department: Ops }, { department: Grid }]\ngrants: [office]"),
      /Rule\/r\.match: this rule can never match: no value of department/,
    ],
    [
      "a condition and its negation",
      rule("r", "match:\n  all: [{ role: x }, { not: { role: x } }]\ngrants: [office]"),
      /can never match: requires both "role has x" and its negation/,
    ],
    [
      "an empty any",
      rule("r", "match: { any: [] }\ngrants: [office]"),
      /Rule\/r\.match: an empty `any` can never match/,
    ],
    [
      "a rule only for inactive persons",
      rule("r", "match: { active: false }\ngrants: [office]"),
      /matches only inactive persons/,
    ],
    [
      "two keys in one condition",
      rule("r", "match: { department: Ops, title: Boss }\ngrants: [office]"),
      /exactly one key, found department, title/,
    ],
    [
      "a group by displayName without opt-in",
      rule("r", "match: { group: { displayName: Ops } }\ngrants: [office]"),
      /needs `byDisplayName: true`/,
    ],
    [
      "an empty tenant list",
      rule("r", "tenants: []\nmatch: { title: A }\ngrants: [office]"),
      /Rule\/r\.tenants: an empty tenant list can never match/,
    ],
    [
      "a bad validity instant",
      rule("r", "match: { title: A }\ngrants: [office]\nvalidity: { notAfter: tomorrow }"),
      /Rule\/r\.validity\.notAfter: expected an ISO 8601 instant/,
    ],
  ];
  it.each(cases)("%s", (_name, text, expected) => {
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });

  it("profiles with an unknown key system, off-grid schedule, bad zone and bad duration", () => {
    const profile = `apiVersion: keybridge.io/v1
kind: Profile
name: bad
maxValidity: P1M
schedule:
  timeZone: Europe/Berlinn
  windows:
    - { days: [mon], start: "08:10", end: "17:00" }
keySystems:
  lock: { vendorRefs: [x] }
`;
    const files = [
      ...sources(rule("r", "match: { title: A }\ngrants: [office]")),
      { file: "m/bad.yaml", text: profile },
    ];
    let messages: string[] = [];
    try {
      parseMappingSources(files);
    } catch (err) {
      if (isMappingError(err)) messages = err.problems.map(formatProblem);
    }
    expect(messages).toEqual([
      'm/bad.yaml:4: Profile/bad.maxValidity: bad duration "P1M"; use weeks/days/hours, e.g. P30D',
      'm/bad.yaml:6: Profile/bad.schedule.timeZone: unknown IANA time zone "Europe/Berlinn"',
      "m/bad.yaml:8: Profile/bad.schedule.windows[0].start: 08:10 is off the 15-minute grid (key systems store times in 15-minute steps)",
      'm/bad.yaml:10: Profile/bad.keySystems.lock: unknown key system "lock" (known: locks)',
    ]);
  });

  it("does not repeat a broken profile file as unknown-profile errors in every rule", () => {
    const files = sources(rule("r", "match: { title: A }\ngrants: [office]"));
    files[1] = { file: "m/profiles.yaml", text: files[1]!.text.replace("[door-office] }", "[door-office }") };
    let messages: string[] = [];
    try {
      parseMappingSources(files);
    } catch (err) {
      if (isMappingError(err)) messages = err.problems.map(formatProblem);
    }
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^m\/profiles\.yaml:5: document #1: YAML /);
  });

  it("lists every problem of every file in one error", () => {
    const text = `${rule("a", "match: { title: A }\ngrants: [nope]")}---\n${rule("b", "match: { any: [] }\ngrants: [office]")}`;
    expect(problemsOf(text)).toHaveLength(2);
  });
});

describe("loadMappings from a directory", () => {
  it("reads every *.yaml file and names the file in messages", () => {
    const dir = mkdtempSync(join(tmpdir(), "kb-mappings-"));
    for (const s of sources(rule("r", "match: { title: A }\ngrants: [ofice]")))
      writeFileSync(join(dir, s.file.slice(2)), s.text);
    expect(() => loadMappings(dir)).toThrow(
      `${join(dir, "rules.yaml")}:5: Rule/r.grants[0]: unknown profile "ofice" (did you mean "office"?)`,
    );
  });

  it("accepts the shipped example", () => {
    const set = loadMappings(join(__dirname, "../../mappings"));
    expect([...set.keySystems.keys()].sort()).toEqual(["demo", "main-iloq", "substations-cliq"]);
  });
});

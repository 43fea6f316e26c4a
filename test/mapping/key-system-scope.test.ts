// A KeySystem's scope is checked against its driver's declared schema at load: `mappings check` names the
// file and line of a wrong scope, and a valid one reaches the set as the driver's schema outputs it.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runMappingsCommand } from "../../src/cli/mappings-command";
import { parseMappingSources } from "../../src/mapping/load-mappings";
import { formatProblem, isMappingError } from "../../src/mapping/mapping-error";
import { driverRegistry } from "../../src/runtime/build-drivers";
import { driverScopeSchemas, mappingLoadOptions } from "../../src/runtime/driver-scope-schemas";
import { PROFILES } from "./mapping-sources";

function keySystem(driver: string, scope: string): string {
  return `apiVersion: keybridge.io/v1\nkind: KeySystem\nid: locks\ndriver: ${driver}\n${scope}`;
}

function problemsOf(systems: string): string[] {
  try {
    parseMappingSources(
      [
        { file: "m/systems.yaml", text: systems },
        { file: "m/profiles.yaml", text: PROFILES },
      ],
      mappingLoadOptions,
    );
  } catch (err) {
    if (!isMappingError(err)) throw err;
    return err.problems.map(formatProblem);
  }
  return [];
}

describe("a KeySystem scope is checked against its driver's schema", () => {
  it("accepts the CLIQ domain and iLOQ lock group + zone as declared", () => {
    expect(problemsOf(keySystem("cliq", "scope:\n  domain: dom-1\n"))).toEqual([]);
    expect(problemsOf(keySystem("iloq", "scope:\n  lockGroupId: lg-1\n  zoneId: z-1\n"))).toEqual([]);
  });

  it("names file and line of a misspelt CLIQ scope field", () => {
    expect(problemsOf(keySystem("cliq", "scope:\n  domian: dom-1\n"))).toEqual([
      'm/systems.yaml:6: KeySystem/locks.scope.domian: unknown field "domian" for driver cliq (known: domain)',
    ]);
  });

  it("names file and line of a scope value of the wrong type", () => {
    const problems = problemsOf(keySystem("iloq", "timeZone: UTC\nscope:\n  lockGroupId: 12\n"));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^m\/systems\.yaml:7: KeySystem\/locks\.scope\.lockGroupId: .*string/);
  });

  it("reports a scope on a driver that declares none (memory)", () => {
    expect(problemsOf(keySystem("memory", "scope:\n  domain: dom-1\n"))).toEqual([
      'm/systems.yaml:6: KeySystem/locks.scope.domain: unknown field "domain" for driver memory (known: none)',
    ]);
  });

  it("keeps the scope as the driver's schema outputs it, an object (never a string)", () => {
    const set = parseMappingSources(
      [
        { file: "m/systems.yaml", text: keySystem("cliq", "scope:\n  domain: dom-1\n") },
        { file: "m/profiles.yaml", text: PROFILES },
      ],
      mappingLoadOptions,
    );
    expect(set.keySystems.get("locks")?.scope).toEqual({ domain: "dom-1" });
  });

  it("uses the very schemas the driver factories declare", () => {
    const declared = driverRegistry().scopeSchemas();
    expect([...driverScopeSchemas.keys()].sort()).toEqual([...declared.keys()].sort());
    for (const [driver, schema] of declared) expect(driverScopeSchemas.get(driver)).toBe(schema);
  });
});

describe("keybridge mappings check", () => {
  it("refuses a wrong scope in the example with file and line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kb-scope-"));
    cpSync(join(__dirname, "../../mappings"), dir, { recursive: true });
    const file = join(dir, "key-systems.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("  domain: ", "  domainId: "));
    let stderr = "";
    const io = {
      out: () => undefined,
      err: (t: string) => {
        stderr += t;
      },
    };
    expect(await runMappingsCommand(["check", dir], io)).toBe(1);
    expect(stderr).toMatch(
      new RegExp(
        `^error: ${file}:\\d+: KeySystem/substations-cliq\\.scope\\.domainId: unknown field "domainId"`,
      ),
    );
  });
});

// Golden test: the example mappings applied to the fixture persons. A mapping change shows up in review
// as a diff of desired-access.golden.json; UPDATE_GOLDEN=1 rewrites it (and the JSON Schema file).
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { evaluatePerson } from "../../src/mapping/evaluate-person";
import { loadMappings } from "../../src/mapping/load-mappings";
import { mappingJsonSchema } from "../../src/mapping/mapping-json-schema";
import { parsePersonsFile } from "../../src/mapping/persons-file";

const root = join(__dirname, "..", "..");
const fixture = join(root, "test/fixtures/mapping/persons.json");
const goldenFile = join(root, "test/fixtures/mapping/desired-access.golden.json");
const schemaFile = join(root, "mappings/mapping.schema.json");
const update = process.env.UPDATE_GOLDEN === "1";

function compareOrWrite(file: string, actual: string): void {
  if (update) writeFileSync(file, actual);
  expect(actual).toBe(readFileSync(file, "utf8"));
}

describe("example mappings (golden)", () => {
  it("give the fixture persons exactly the desired access recorded in the golden file", () => {
    const text = readFileSync(fixture, "utf8");
    const now = new Date((JSON.parse(text) as { now: string }).now);
    const mappings = loadMappings(join(root, "mappings"));
    const persons = parsePersonsFile(text).map((p) => ({
      tenant: p.tenant,
      userName: p.user.userName,
      grants: evaluatePerson(p, p.tenant, mappings, now).grants,
    }));
    compareOrWrite(goldenFile, `${JSON.stringify({ now: now.toISOString(), persons }, null, 2)}\n`);
  });

  it("ship a JSON Schema generated from the loader's own schema", () => {
    compareOrWrite(schemaFile, `${JSON.stringify(mappingJsonSchema(), null, 2)}\n`);
  });
});

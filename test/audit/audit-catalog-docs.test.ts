// docs/audit.md lists exactly the catalog's types with their meanings, so the two never drift apart.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { auditMeanings, auditTypes, isAuditType } from "../../src/audit/audit-catalog";

const doc = readFileSync(join(__dirname, "../../docs/audit.md"), "utf8");
const catalogSection = doc.slice(doc.indexOf("\n## Catalog"));
const rows = [...catalogSection.matchAll(/^\|\s*`([a-z_.]+)`\s*\|\s*(.+?)\s*\|$/gm)].map((m) => ({
  type: m[1]!,
  meaning: m[2]!,
}));

test.each(Object.entries(auditMeanings))("docs/audit.md lists %s with its meaning", (type, meaning) => {
  expect(rows).toContainEqual({ type, meaning });
});

test("docs/audit.md lists no type that is not in the catalog", () => {
  expect(rows.filter((r) => !isAuditType(r.type))).toEqual([]);
});

test("every catalog constant has a meaning and no two constants share a type", () => {
  const values = Object.values(auditTypes);
  expect(new Set(values).size).toBe(values.length);
  expect(Object.keys(auditMeanings).sort()).toEqual([...values].sort());
});

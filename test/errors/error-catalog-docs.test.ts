// docs/errors.md lists exactly the error catalog with its meanings, and every stable code or scimType
// the sources (and SCIMMY, whose errors we pass on) can emit is in the catalog (model: fastify's
// test/internals/errors.test.js; test/audit/audit-catalog-docs.test.ts does the same for audit events).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { DRIVER_ERROR_CODES } from "../../src/drivers/driver-error";
import { BRIDGE_ERROR_CODES } from "../../src/errors/bridge-error";
import {
  errorCodeMeanings,
  isCataloguedCode,
  isCataloguedScimType,
  scimTypeMeanings,
} from "../../src/errors/error-catalog";

const root = join(__dirname, "../..");
const doc = readFileSync(join(root, "docs/errors.md"), "utf8");

function tableRows(heading: string): { key: string; meaning: string }[] {
  const start = doc.indexOf(`\n## ${heading}`);
  const end = doc.indexOf("\n## ", start + 1);
  const section = doc.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/^\|\s*`([A-Za-z_]+)`\s*\|\s*(.+?)\s*\|$/gm)].map((m) => ({
    key: m[1] as string,
    meaning: m[2] as string,
  }));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(name) ? [path] : [];
  });
}

const sources = [...sourceFiles(join(root, "src")), ...sourceFiles(join(root, "connectors"))].map((f) =>
  readFileSync(f, "utf8"),
);

test.each(Object.entries(scimTypeMeanings))(
  "docs/errors.md lists scimType %s with its meaning",
  (key, meaning) => {
    expect(tableRows("SCIM scimTypes")).toContainEqual({ key, meaning });
  },
);

test.each(Object.entries(errorCodeMeanings))(
  "docs/errors.md lists code %s with its meaning",
  (key, meaning) => {
    expect(tableRows("Error codes")).toContainEqual({ key, meaning });
  },
);

test("docs/errors.md lists nothing that is not in the catalog", () => {
  expect(tableRows("SCIM scimTypes").filter((r) => !isCataloguedScimType(r.key))).toEqual([]);
  expect(tableRows("Error codes").filter((r) => !isCataloguedCode(r.key))).toEqual([]);
});

test("every error code constant and code literal in src/ and connectors/ is catalogued", () => {
  const literals = sources.flatMap((text) =>
    [...text.matchAll(/["'`]((?:BRIDGE|DRIVER|CONFIG|MAPPING)_[A-Z][A-Z_]*)["'`]/g)].map(
      (m) => m[1] as string,
    ),
  );
  const constants = [...Object.values(BRIDGE_ERROR_CODES), ...Object.values(DRIVER_ERROR_CODES)];
  expect(literals.length).toBeGreaterThan(constants.length);
  expect([...new Set([...literals, ...constants])].filter((code) => !isCataloguedCode(code))).toEqual([]);
});

test("every scimType keybridge or SCIMMY raises is catalogued", () => {
  const ours = sources.flatMap((text) =>
    [...text.matchAll(/ScimError\(\s*\d{3},\s*"([A-Za-z]+)"/g)].map((m) => m[1] as string),
  );
  const scimmyDir = join(root, "node_modules/scimmy/dist/lib");
  const scimmy = readdirSync(scimmyDir).flatMap((name) =>
    [...readFileSync(join(scimmyDir, name), "utf8").matchAll(/Error\(\d{3}, "([A-Za-z]+)"/g)].map(
      (m) => m[1] as string,
    ),
  );
  expect(ours).toContain("invalidPath");
  expect(scimmy).toContain("invalidFilter");
  expect([...new Set([...ours, ...scimmy])].filter((t) => !isCataloguedScimType(t))).toEqual([]);
});

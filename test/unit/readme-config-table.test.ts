// The README's configuration table is generated from the schema; this keeps the two in step.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { renderConfigTable } from "../../src/config/config-table";

it("README lists every configuration key exactly as the schema defines it", () => {
  const readme = readFileSync(join(__dirname, "../../README.md"), "utf8");
  const table = /<!-- config-table:start -->\n([\s\S]*?)\n<!-- config-table:end -->/.exec(readme)?.[1];
  expect(table).toBe(renderConfigTable());
});

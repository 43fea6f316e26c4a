// `keybridge config check` refuses what `start` refuses — driver options through the driver factories,
// the mapping directory, a config file's syntax with file and line — and lists each key system as
// configured or not.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runConfigCommand } from "../../src/cli/config-command";
import { configSchema } from "../../src/config/config-schema";
import { loadConfig } from "../../src/config/load-config";

const SHIPPED_MAPPINGS = join(__dirname, "..", "..", "mappings");
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "kb-config-check-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function check(raw: Record<string, unknown>) {
  let out = "";
  let err = "";
  const config = Object.freeze(configSchema.parse({ mappingsDir: SHIPPED_MAPPINGS, ...raw }));
  const code = await runConfigCommand(["check"], {
    loadConfig: () => config,
    io: { out: (t) => (out += t), err: (t) => (err += t) },
  });
  return { code, out, err };
}

test("lists each declared key system as configured or not", async () => {
  const result = await check({});
  expect(result.code).toBe(0);
  expect(result.out).toContain("configuration ok: 1 tenant(s)");
  expect(result.out).toContain(
    "  key system main-iloq (iloq): not configured: no keySystems.main-iloq settings; its changes wait until it is configured",
  );
  expect(result.out).toContain("  key system demo (memory): configured (simulated, no settings needed)");
});

test("refuses driver options the driver factory refuses, as start does", async () => {
  const result = await check({ keySystems: { "main-iloq": { options: { nonsense: true } } } });
  expect(result.code).toBe(1);
  expect(result.out).toBe("");
  expect(result.err).toMatch(/^keybridge config check: .*main-iloq/);
});

test("refuses a mapping directory that does not load", async () => {
  const result = await check({ mappingsDir: join(dir, "missing") });
  expect(result.code).toBe(1);
  expect(result.err).toContain("keybridge config check:");
});

test("a config file with a syntax error is named with its line", () => {
  const file = join(dir, "broken.yaml");
  writeFileSync(file, "port: 8080\ntenants:\n  - id: a\n   displayName: b\n");
  expect(() => loadConfig({ KEYBRIDGE_CONFIG: file })).toThrow(new RegExp(`config file ${file}:4: `));
});

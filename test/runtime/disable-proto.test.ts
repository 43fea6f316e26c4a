// Defence in depth (issue #9 item 1): every way keybridge is started runs with `__proto__` disabled,
// so even a value that slipped past validation cannot write onto Object.prototype.
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(__dirname, "../..");

test("in this test context `__proto__` throws ERR_PROTO_ACCESS, and JSON keys named so stay data", () => {
  let code: unknown;
  try {
    // biome-ignore lint/suspicious/noProto: the accessor must throw here
    void ({} as { __proto__?: unknown }).__proto__;
  } catch (err) {
    code = (err as { code?: unknown }).code;
  }
  expect(code).toBe("ERR_PROTO_ACCESS");
  const parsed = JSON.parse('{"__proto__":{"polluted":1}}') as Record<string, unknown>;
  expect(Object.keys(parsed)).toEqual(["__proto__"]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

test("bin/keybridge.js disables `__proto__` before it loads anything, even when node runs it without the flag", () => {
  const bin = readFileSync(join(root, "bin/keybridge.js"), "utf8");
  expect(bin.split("\n")[0]).toBe("#!/usr/bin/env -S node --disable-proto=throw");
  expect(bin.indexOf('require("./disable-proto")')).toBeLessThan(bin.indexOf('require("tsx/cjs")'));
  const probe = spawnSync(
    process.execPath,
    [
      "-e",
      "require('./bin/disable-proto'); try { ({}).__proto__; } catch (e) { process.stdout.write(e.code); }",
    ],
    { cwd: root, encoding: "utf8" },
  );
  expect(probe.stdout).toBe("ERR_PROTO_ACCESS");
});

test("npm start and the container pass --disable-proto=throw to node", () => {
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  expect(pkg.scripts.start).toContain("node --disable-proto=throw ");
  expect(readFileSync(join(root, "Dockerfile"), "utf8")).toContain('"node", "--disable-proto=throw"');
});

test("the CLI still runs with `__proto__` disabled (tsx, zod, the config schema)", () => {
  const table = execFileSync(
    process.execPath,
    ["--disable-proto=throw", "bin/keybridge.js", "config", "docs"],
    {
      cwd: root,
      encoding: "utf8",
    },
  );
  expect(table).toContain("`scim.limits.nestingMaxDepth`");
});

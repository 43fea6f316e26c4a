// ARCHITECTURE §1 dependency rules, checked on the import lines of every source file: pure stages do no
// I/O, the SCIM edge never reaches a driver, connectors depend only on the driver contract, and vendor
// vocabulary never leaves its connector. Only process.env readers: src/config/load-config.ts.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = join(__dirname, "../..");

function files(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });
}

const imports = (file: string) =>
  [...readFileSync(join(root, file), "utf8").matchAll(/from "([^"]+)"/g)].map((m) => m[1] ?? "");

const IO = /^(node:)?(fs|net|http|https|child_process)$|^ioredis$|^bullmq$/;

describe("dependency rules", () => {
  it("mapping/ and access/ do no I/O (only the mapping loader reads files)", () => {
    const offenders = [...files("src/mapping"), ...files("src/access")]
      .filter((f) => !f.endsWith("load-mappings.ts"))
      .filter(
        (f) =>
          imports(f).some((i) => IO.test(i)) || readFileSync(join(root, f), "utf8").includes("process.env"),
      );
    expect(offenders).toEqual([]);
  });

  it("scim/ never imports a driver or a connector", () => {
    const offenders = files("src/scim").filter((f) =>
      imports(f).some((i) => /drivers\/|connectors\//.test(i)),
    );
    expect(offenders).toEqual([]);
  });

  it("connectors import only the driver contract, the logger type, ConfigError and their own files", () => {
    const allowed = /^(\.\/|node:|zod$|ioredis$)|src\/drivers\/|src\/log\/logger$|src\/config\/config-error$/;
    // The memory driver may keep its simulated state in Redis (one Redis or a cluster, through the one
    // client factory), under a key from the one key builder.
    const memoryOnly = /src\/store\/(redis-keys|create-redis-client)$/;
    const offenders = files("connectors").flatMap((f) =>
      imports(f)
        .filter((i) => !allowed.test(i) && !(f.startsWith("connectors/memory/") && memoryOnly.test(i)))
        .map((i) => `${f} → ${i}`),
    );
    expect(offenders).toEqual([]);
  });

  it("vendor vocabulary stays inside connectors/<vendor>/", () => {
    const vendorWords = /SecurityAccess|LockGroup|FNKey|[Cc]ylinder|CustomerCode|hand-out/;
    const offenders = files("src").filter((f) => vendorWords.test(readFileSync(join(root, f), "utf8")));
    expect(offenders).toEqual([]);
  });

  it("only src/config/load-config.ts reads process.env", () => {
    const offenders = [...files("src"), ...files("connectors")]
      .filter((f) => readFileSync(join(root, f), "utf8").includes("process.env"))
      .map((f) => relative(".", f));
    expect(offenders).toEqual(["src/config/load-config.ts"]);
  });
});

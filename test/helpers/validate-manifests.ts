// Checks Kubernetes manifests with kubernetes-models: against its OpenAPI schemas compiled to validators
// (ESM-only, and jest runs CJS, so in a child `node` process), and for unknown fields with its
// TypeScript interfaces (in a child `tsc`).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface ManifestFailure {
  index: number;
  kind?: string;
  name?: string;
  error: string;
}

const SCRIPT = join(__dirname, "validate-k8s-manifests.mjs");

/** Every manifest that fails its schema (or has no known schema); [] when all pass. */
export function validateManifests(manifests: unknown[]): ManifestFailure[] {
  const run = spawnSync(process.execPath, [SCRIPT], {
    input: JSON.stringify(manifests),
    encoding: "utf8",
    timeout: 60_000,
  });
  if (run.status !== 0) throw new Error(`manifest validator failed: ${run.stderr || run.error?.message}`);
  return JSON.parse(run.stdout) as ManifestFailure[];
}

/** kubernetes-models' TypeScript interface of a manifest: import path and name (I<Kind>). */
function typeOf(apiVersion: string, kind: string): { from: string; name: string } {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const from = group
    ? `kubernetes-models/${group}/${version}/${kind}`
    : `kubernetes-models/${version}/${kind}`;
  return { from, name: `I${kind}` };
}

/**
 * Fields the Kubernetes API does not know (a typo such as `readinesProbe`), which the JSON schemas above
 * let through: each manifest becomes an object literal typed with kubernetes-models' interface, and
 * TypeScript's excess-property check (plus its type check) reports it. One tsc run for all manifests;
 * returns one line per problem, `<index>: <message>`, or [] when none.
 */
export function findUnknownFields(manifests: Array<Record<string, unknown>>): string[] {
  const dir = mkdtempSync(join(tmpdir(), "kb-k8s-types-"));
  try {
    const imports: string[] = [];
    const consts: string[] = [];
    manifests.forEach((manifest, index) => {
      const { from, name } = typeOf(String(manifest.apiVersion), String(manifest.kind));
      imports.push(`import type { ${name} as T${index} } from "${from}";`);
      consts.push(`export const m${index}: T${index} = ${JSON.stringify(manifest)};`);
    });
    // Imports first, then one manifest per line: a diagnostic's line names its manifest.
    writeFileSync(join(dir, "check.ts"), `${imports.join("\n")}\n${consts.join("\n")}\n`);
    const modules = join(__dirname, "..", "..", "node_modules");
    const tsconfig = {
      compilerOptions: {
        strict: true,
        noEmit: true,
        module: "nodenext",
        moduleResolution: "nodenext",
        skipLibCheck: true,
        types: [],
        paths: { "kubernetes-models/*": [join(modules, "kubernetes-models", "*")] },
      },
      files: ["check.ts"],
    };
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
    const tsc = join(modules, "typescript", "bin", "tsc");
    const run = spawnSync(process.execPath, [tsc, "-p", join(dir, "tsconfig.json"), "--pretty", "false"], {
      encoding: "utf8",
      timeout: 120_000,
    });
    if (run.status === 0) return [];
    const problems = [...run.stdout.matchAll(/check\.ts\((\d+),\d+\): error TS\d+: (.*)/g)];
    if (problems.length === 0) throw new Error(`tsc failed: ${run.stdout}${run.stderr}`);
    return problems.map((p) => `${Number(p[1]) - manifests.length - 1}: ${p[2]}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

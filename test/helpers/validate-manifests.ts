// Schema-checks Kubernetes manifests with kubernetes-models (its OpenAPI schemas compiled to validators).
// The package is ESM-only and jest runs CJS, so the check runs in a child `node` process.
import { spawnSync } from "node:child_process";
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

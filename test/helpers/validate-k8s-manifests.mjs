// Validates Kubernetes manifests against the API's JSON schemas (kubernetes-models, ESM-only, hence a
// child process of the CJS jest tests). Reads a JSON array of manifests on stdin and prints a JSON array
// of {index, kind, name, error}: one entry per manifest that fails, or whose kind is unknown here.
import { readFileSync } from "node:fs";

// apiVersion → module folder of kubernetes-models ("v1" is the core group).
function modulePath(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  return group === "" ? `kubernetes-models/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
}

const manifests = JSON.parse(readFileSync(0, "utf8"));
const failures = [];
for (const [index, manifest] of manifests.entries()) {
  const kind = manifest?.kind;
  const name = manifest?.metadata?.name;
  if (typeof manifest?.apiVersion !== "string" || typeof kind !== "string") {
    failures.push({ index, kind, name, error: "apiVersion and kind are required" });
    continue;
  }
  let Model;
  try {
    Model = (await import(modulePath(manifest.apiVersion, kind)))[kind];
  } catch {
    failures.push({ index, kind, name, error: `no schema for ${manifest.apiVersion} ${kind}` });
    continue;
  }
  try {
    new Model(manifest).validate();
  } catch (err) {
    failures.push({ index, kind, name, error: err.message });
  }
}
process.stdout.write(JSON.stringify(failures));

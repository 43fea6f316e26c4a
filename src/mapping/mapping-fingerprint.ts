// A stable hash of what the mappings mean (not of file text, order or comments), so the pipeline can tell
// "mappings changed since last start" and re-plan everyone only then.
import { createHash } from "node:crypto";
import type { KeySystemDef, ProfileDef, RuleDef } from "./mapping-set";

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function fingerprintMappings(
  keySystems: KeySystemDef[],
  profiles: ProfileDef[],
  rules: RuleDef[],
): string {
  const byName =
    <T>(key: (t: T) => string) =>
    (a: T, b: T) =>
      key(a) < key(b) ? -1 : 1;
  const body = {
    keySystems: [...keySystems].sort(byName((k) => k.id)).map(({ source: _s, ...k }) => k),
    profiles: [...profiles].sort(byName((p) => p.name)).map(({ source: _s, ...p }) => p),
    rules: [...rules]
      .sort(byName((r) => r.name))
      .map(({ source: _s, condition: _c, groupReferences: _g, leafCount: _l, targets: _t, ...r }) => r),
  };
  return createHash("sha256").update(canonical(body)).digest("hex");
}

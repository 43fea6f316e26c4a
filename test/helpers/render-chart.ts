// Renders a Helm chart's templates/*.yaml with the subset renderer (render-template.ts), the way
// `helm template` would: values.yaml deep-merged with overrides, .Release and .Chart filled in, each
// file split into documents, empty documents dropped. _*.tpl partials are outside the subset.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { renderTemplate } from "./render-template";

export interface RenderedManifest {
  /** The template file the manifest came from, e.g. api-deployment.yaml. */
  source: string;
  manifest: Record<string, unknown>;
}

export interface ChartRelease {
  name: string;
  namespace: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Helm's value coalescing: maps merge key by key, anything else in the override replaces. */
export function mergeValues(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) out[key] = mergeValues(base[key], value);
  return out;
}

export function renderChart(
  chartDir: string,
  overrides: Record<string, unknown> = {},
  release: ChartRelease = { name: "kb", namespace: "default" },
): RenderedManifest[] {
  const chart = parse(readFileSync(join(chartDir, "Chart.yaml"), "utf8")) as Record<string, unknown>;
  const values = mergeValues(parse(readFileSync(join(chartDir, "values.yaml"), "utf8")), overrides);
  const root = {
    Values: values,
    Release: { Name: release.name, Namespace: release.namespace, Service: "Helm" },
    Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion },
  };
  const templatesDir = join(chartDir, "templates");
  const out: RenderedManifest[] = [];
  for (const file of readdirSync(templatesDir).sort()) {
    if (!file.endsWith(".yaml")) continue;
    const text = renderTemplate(readFileSync(join(templatesDir, file), "utf8"), root);
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}\n${text}`);
      const manifest = doc.toJS() as unknown;
      if (manifest === null || manifest === undefined) continue;
      if (!isPlainObject(manifest)) throw new Error(`${file}: a document is not a mapping`);
      out.push({ source: file, manifest });
    }
  }
  return out;
}

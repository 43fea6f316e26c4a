// Checks a KeySystem document's `scope` against the shape its driver declares (DriverFactory.scopeSchema),
// so `keybridge mappings check` names the file and line of a wrong scope instead of a driver failing later
// (a CLIQ scope once reached CWM as a stringified object and every grant answered 403). Pure: the schemas
// are handed in by the composition root, since mapping/ imports no connector.
import type { z } from "zod";
import type { MappingProblem } from "./mapping-error";
import { formatPath, type Locator, type PathSegment } from "./parse-mapping-documents";

/** Each driver's scope schema by driver name (from DriverRegistry.scopeSchemas()). */
export type ScopeSchemas = ReadonlyMap<string, z.ZodType<Readonly<Record<string, unknown>>>>;

export interface ScopeDocument {
  file: string;
  label: string;
  locate: Locator;
  driver: string;
  scope: unknown;
}

/** The scope as the driver's schema outputs it; undefined (and problems appended) when it does not fit. */
export function checkKeySystemScope(
  d: ScopeDocument,
  schemas: ScopeSchemas | undefined,
  problems: MappingProblem[],
): Readonly<Record<string, unknown>> | undefined {
  const schema = schemas?.get(d.driver);
  if (!schema) return d.scope as Readonly<Record<string, unknown>> | undefined;
  const parsed = schema.safeParse(d.scope ?? {});
  if (parsed.success) return d.scope === undefined ? undefined : parsed.data;
  for (const issue of parsed.error.issues) {
    const inner = issue.path.filter((s): s is PathSegment => typeof s !== "symbol");
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [undefined];
    for (const key of keys) {
      const path: PathSegment[] = ["scope", ...inner, ...(key === undefined ? [] : [key])];
      const message =
        key === undefined
          ? issue.message
          : `unknown field "${key}" for driver ${d.driver} (known: ${knownKeys(schema)})`;
      problems.push({
        file: d.file,
        line: d.locate(path, key !== undefined),
        path: formatPath(d.label, path),
        message,
      });
    }
  }
  return undefined;
}

function knownKeys(schema: z.ZodType): string {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  const keys = shape ? Object.keys(shape) : [];
  return keys.length > 0 ? keys.join(", ") : "none";
}

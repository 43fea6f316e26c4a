// The JSON Schema of a mapping document, generated from the zod schemas so the editor's view (via
// `# yaml-language-server: $schema=...`) and the loader's can never disagree.
import { z } from "zod";
import { keySystemDocSchema, MAPPING_API_VERSION, profileDocSchema, ruleDocSchema } from "./mapping-schema";

export const MAPPING_SCHEMA_ID = "https://keybridge.io/schemas/mapping.schema.json";

const KINDS = ["KeySystem", "Profile", "Rule"] as const;

/**
 * One branch per kind, selected by `kind` with if/then rather than anyOf, so an editor reports the
 * errors of the document's own kind instead of every kind's.
 */
export function mappingJsonSchema(): Record<string, unknown> {
  const union = z.toJSONSchema(z.union([keySystemDocSchema, profileDocSchema, ruleDocSchema]), {
    io: "input",
  }) as { $schema: string; anyOf: unknown[]; $defs?: Record<string, unknown> };
  return {
    $schema: union.$schema,
    $id: MAPPING_SCHEMA_ID,
    title: "keybridge mapping document (KeySystem, Profile or Rule)",
    type: "object",
    required: ["apiVersion", "kind"],
    properties: {
      apiVersion: { const: MAPPING_API_VERSION },
      kind: { enum: [...KINDS] },
    },
    allOf: KINDS.map((kind, i) => ({
      if: { properties: { kind: { const: kind } }, required: ["kind"] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keyword, not a thenable
      then: union.anyOf[i],
    })),
    $defs: union.$defs,
  };
}

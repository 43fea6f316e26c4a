// The JSON Schema of a mapping document, generated from the zod schemas so the editor's view (via
// `# yaml-language-server: $schema=...`) and the loader's can never disagree.
import { z } from "zod";
import { keySystemDocSchema, profileDocSchema, ruleDocSchema } from "./mapping-schema";

export const MAPPING_SCHEMA_ID = "https://keybridge.io/schemas/mapping.schema.json";

export function mappingJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(z.union([keySystemDocSchema, profileDocSchema, ruleDocSchema]), {
    io: "input",
  }) as Record<string, unknown>;
  return {
    ...schema,
    $id: MAPPING_SCHEMA_ID,
    title: "keybridge mapping document (KeySystem, Profile or Rule)",
  };
}

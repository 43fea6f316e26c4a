// Renders the config schema as the README's configuration table, so the docs cannot drift from the code.
import { z } from "zod";
import { configSchema } from "./config-schema";

interface JsonSchemaNode {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchemaNode>;
  additionalProperties?: JsonSchemaNode | boolean;
  items?: JsonSchemaNode;
  anyOf?: JsonSchemaNode[];
}

function typeOf(node: JsonSchemaNode): string {
  if (node.anyOf) return node.anyOf.map(typeOf).join(" \\| ");
  if (node.enum) return node.enum.map((v) => JSON.stringify(v)).join(" \\| ");
  if (node.type === "array") return `list of ${node.items ? typeOf(node.items) : "values"}`;
  if (node.type === "object" && typeof node.additionalProperties === "object") return "map";
  return Array.isArray(node.type) ? node.type.join(" \\| ") : (node.type ?? "value");
}

function rows(node: JsonSchemaNode, prefix: string, out: string[]): void {
  for (const [key, child] of Object.entries(node.properties ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    const dflt =
      child.default === undefined || typeof child.default === "object" ? "" : `\`${String(child.default)}\``;
    out.push(`| \`${path}\` | ${typeOf(child)} | ${dflt} | ${child.description ?? ""} |`);
    if (child.type === "object" && child.properties) rows(child, path, out);
    if (typeof child.additionalProperties === "object" && child.additionalProperties.properties) {
      rows(child.additionalProperties, `${path}.<id>`, out);
    }
  }
}

export function renderConfigTable(): string {
  const schema = z.toJSONSchema(configSchema, { io: "input" }) as JsonSchemaNode;
  const out = ["| key | type | default | meaning |", "|---|---|---|---|"];
  rows(schema, "", out);
  return out.join("\n");
}

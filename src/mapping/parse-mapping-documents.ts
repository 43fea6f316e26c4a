// Reads mapping YAML into validated documents, keeping line numbers (yaml's LineCounter) so every problem
// can point at `file:line` — syntax errors, unknown kinds, unknown fields and wrong value shapes.
import { isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments, type Document } from "yaml";
import type { z } from "zod";
import type { MappingProblem } from "./mapping-error";
import {
  CONDITION_ATTRIBUTES,
  DOC_SCHEMAS,
  type KeySystemDoc,
  MAPPING_API_VERSION,
  type MappingKind,
  type ProfileDoc,
  type RuleDoc,
} from "./mapping-schema";

export type PathSegment = string | number;

/** Finds the line of a path inside the document (the key's line when `atKey`); falls back to the parent. */
export type Locator = (path: PathSegment[], atKey?: boolean) => number;

export type ParsedDocument = { file: string; line: number; locate: Locator; label: string } & (
  | { kind: "KeySystem"; doc: KeySystemDoc }
  | { kind: "Profile"; doc: ProfileDoc }
  | { kind: "Rule"; doc: RuleDoc }
);

export interface SourceText {
  file: string;
  text: string;
}

const KINDS = Object.keys(DOC_SCHEMAS).join(", ");
const CONDITION_KEYS = ["all", "any", "not", "group", ...Object.keys(CONDITION_ATTRIBUTES)].join(", ");

function makeLocator(doc: Document, lines: LineCounter): Locator {
  const lineOf = (offset: number) => lines.linePos(offset).line;
  return (path, atKey = false) => {
    let node: unknown = doc.contents;
    let line = lineOf((doc.contents as Node | null)?.range?.[0] ?? 0);
    for (const [i, seg] of path.entries()) {
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && p.key.value === seg);
        if (!pair) return line;
        const keyNode = pair.key as Node;
        if (last && atKey && keyNode.range) return lineOf(keyNode.range[0]);
        node = pair.value;
        const range = (pair.value as Node | null)?.range ?? keyNode.range;
        if (range) line = lineOf(range[0]);
      } else if (isSeq(node) && typeof seg === "number") {
        const item = node.items[seg] as Node | undefined;
        if (!item?.range) return line;
        node = item;
        line = lineOf(item.range[0]);
      } else return line;
    }
    return line;
  };
}

/** `match.all[1].group` from ["match", "all", 1, "group"]. */
export function formatPath(label: string, path: PathSegment[]): string {
  let out = label;
  for (const seg of path) out += typeof seg === "number" ? `[${seg}]` : `.${seg}`;
  return out;
}

function issueMessage(issue: z.core.$ZodIssue, key?: string): string {
  if (issue.code === "unrecognized_keys") {
    if (issue.path.includes("match")) return `unknown attribute "${key}" (known: ${CONDITION_KEYS})`;
    return `unknown field "${key}"`;
  }
  if (issue.code === "invalid_union")
    return "expected a string, number, boolean, {in: [...]} or {present: true|false}";
  return issue.message;
}

function validate(
  raw: Record<string, unknown>,
  kind: MappingKind,
  base: { file: string; locate: Locator; label: string },
  problems: MappingProblem[],
): ParsedDocument | null {
  const result = DOC_SCHEMAS[kind].safeParse(raw);
  if (result.success) return { ...base, line: base.locate([]), kind, doc: result.data } as ParsedDocument;
  for (const issue of result.error.issues) {
    const path = issue.path.filter((s): s is PathSegment => typeof s !== "symbol");
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [undefined];
    for (const key of keys) {
      const at = key === undefined ? path : [...path, key];
      problems.push({
        file: base.file,
        line: base.locate(at, key !== undefined),
        path: formatPath(base.label, at),
        message: issueMessage(issue, key),
      });
    }
  }
  return null;
}

function labelOf(kind: string, raw: Record<string, unknown>, index: number): string {
  const name = kind === "KeySystem" ? raw.id : raw.name;
  return `${kind}/${typeof name === "string" ? name : `#${index + 1}`}`;
}

/** Parses one file (possibly several `---` documents); problems are appended, valid documents returned. */
export function parseMappingDocuments(source: SourceText, problems: MappingProblem[]): ParsedDocument[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(source.text, { lineCounter: lines, prettyErrors: false });
  const out: ParsedDocument[] = [];
  const file = source.file;
  for (const [index, doc] of (Array.isArray(docs) ? docs : [docs]).entries()) {
    const [err, ...more] = doc.errors;
    if (err) {
      // Only the first syntax error: the parser's later ones are mostly echoes of it (one missing `]`
      // yields a sequence and a map complaint on the same line).
      const extra = more.length > 0 ? ` (+${more.length} more in this document)` : "";
      problems.push({
        file,
        line: lines.linePos(err.pos[0]).line,
        path: `document #${index + 1}`,
        message: `YAML ${err.code}: ${err.message.split("\n")[0]}${extra}`,
      });
      continue;
    }
    if (doc.contents === null) continue; // an empty document, e.g. after a trailing `---`
    const locate = makeLocator(doc, lines);
    const raw = doc.toJS() as unknown;
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      problems.push({
        file,
        line: locate([]),
        path: `document #${index + 1}`,
        message: "expected a mapping",
      });
      continue;
    }
    const obj = raw as Record<string, unknown>;
    const label = labelOf(String(obj.kind), obj, index);
    if (obj.apiVersion !== MAPPING_API_VERSION) {
      const message = `apiVersion must be "${MAPPING_API_VERSION}", found ${JSON.stringify(obj.apiVersion ?? null)}`;
      problems.push({ file, line: locate(["apiVersion"], true), path: `document #${index + 1}`, message });
      continue;
    }
    if (typeof obj.kind !== "string" || !(obj.kind in DOC_SCHEMAS)) {
      const message = `unknown kind ${JSON.stringify(obj.kind ?? null)} (known: ${KINDS})`;
      problems.push({ file, line: locate(["kind"], true), path: `document #${index + 1}`, message });
      continue;
    }
    const parsed = validate(obj, obj.kind as MappingKind, { file, locate, label }, problems);
    if (parsed) out.push(parsed);
  }
  return out;
}

// Renders the small subset of Go template syntax the Helm chart uses (deploy/helm/keybridge), so the
// chart's manifests can be schema-checked where `helm` is not installed. Anything outside the subset
// throws: a template that drifts past it fails the test instead of rendering something helm would not.
//
// Subset (Go text/template semantics, https://pkg.go.dev/text/template): `{{ .a.b }}`, `{{ $.a.b }}`,
// `{{ . }}`, string and integer literals, `{{- ... -}}` whitespace trimming, `{{/* comment */}}`,
// `if` / `else if` / `else` / `end`, `range` over a list (dot becomes the item), pipelines with `|`,
// and the functions quote, toYaml, nindent, eq, not (Helm/sprig behaviour for the first three).
// Stricter than helm on purpose: printing a value that is missing (or a map or list) throws, where helm
// would print an empty string or Go's map syntax.
import { stringify } from "yaml";

type Node =
  | { kind: "text"; text: string }
  | { kind: "print"; pipe: string }
  | { kind: "if"; branches: Array<{ pipe: string; body: Node[] }>; otherwise: Node[] }
  | { kind: "range"; pipe: string; body: Node[] };

interface Scope {
  dot: unknown;
  root: unknown;
}

const UNSUPPORTED = /^(define|template|include|with|block|break|continue)$/;
const ACTION = /\{\{(-?)\s*([\s\S]*?)\s*(-?)\}\}/g;

/** Splits text and actions, applying the `{{-` / `-}}` trim markers to the neighbouring text. */
function lex(source: string): Array<{ text: string } | { action: string }> {
  const parts: Array<{ text: string } | { action: string }> = [];
  let last = 0;
  let trimNext = false;
  for (const match of source.matchAll(ACTION)) {
    let text = source.slice(last, match.index);
    if (trimNext) text = text.replace(/^\s+/, "");
    if (match[1] === "-") text = text.replace(/\s+$/, "");
    parts.push({ text });
    const action = match[2] ?? "";
    if (!action.startsWith("/*")) parts.push({ action });
    else if (!action.endsWith("*/")) throw new Error(`unterminated template comment: {{${action}}}`);
    trimNext = match[3] === "-";
    last = (match.index ?? 0) + match[0].length;
  }
  const tail = source.slice(last);
  parts.push({ text: trimNext ? tail.replace(/^\s+/, "") : tail });
  return parts;
}

/** Builds the node tree; returns at the `end`/`else` that closes the caller's block. */
function parse(parts: ReturnType<typeof lex>, at: { i: number }, closers: string[]): [Node[], string] {
  const nodes: Node[] = [];
  while (at.i < parts.length) {
    const part = parts[at.i++]!;
    if ("text" in part) {
      if (part.text) nodes.push({ kind: "text", text: part.text });
      continue;
    }
    const [word = "", ...rest] = part.action.split(/\s+/);
    const arg = rest.join(" ");
    if (word === "end" || word === "else") {
      if (!closers.includes(word)) throw new Error(`unexpected {{${part.action}}}`);
      return [nodes, part.action];
    }
    if (word === "if") nodes.push(parseIf(arg, parts, at));
    else if (word === "range") {
      const [body, closer] = parse(parts, at, ["end"]);
      if (closer !== "end") throw new Error("range ... else is outside the subset");
      nodes.push({ kind: "range", pipe: arg, body });
    } else if (UNSUPPORTED.test(word) || rest[0] === ":=")
      throw new Error(`{{${part.action}}} is outside the supported template subset`);
    else nodes.push({ kind: "print", pipe: part.action });
  }
  if (closers.length > 0) throw new Error("template ends inside an if/range block (missing {{ end }})");
  return [nodes, ""];
}

function parseIf(pipe: string, parts: ReturnType<typeof lex>, at: { i: number }): Node {
  const branches: Array<{ pipe: string; body: Node[] }> = [];
  let condition = pipe;
  for (;;) {
    const [body, closer] = parse(parts, at, ["end", "else"]);
    branches.push({ pipe: condition, body });
    if (closer === "end") return { kind: "if", branches, otherwise: [] };
    const elseIf = /^else\s+if\s+(.+)$/.exec(closer);
    if (elseIf) {
      condition = elseIf[1]!;
      continue;
    }
    const [otherwise, last] = parse(parts, at, ["end"]);
    if (last !== "end") throw new Error("if ... else must close with {{ end }}");
    return { kind: "if", branches, otherwise };
  }
}

const TOKEN = /"(?:[^"\\]|\\.)*"|\||[^\s|]+/g;

function lookup(base: unknown, path: string): unknown {
  let value = base;
  for (const key of path.split(".").filter(Boolean)) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function evalTerm(token: string, scope: Scope): unknown {
  if (token.startsWith('"')) return JSON.parse(token);
  if (/^-?\d+$/.test(token)) return Number(token);
  if (token === "true" || token === "false") return token === "true";
  if (token === "." || token.startsWith(".")) return lookup(scope.dot, token);
  if (token === "$" || token.startsWith("$.")) return lookup(scope.root, token.slice(1));
  throw new Error(`"${token}" is outside the supported template subset`);
}

/** Helm's toYaml: YAML of the value without the trailing newline. */
function toYaml(value: unknown): string {
  return stringify(value ?? null).replace(/\n$/, "");
}

const FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  quote: (v) => JSON.stringify(v === undefined || v === null ? "" : String(v)),
  toYaml,
  nindent: (n, v) => `\n${String(v).replace(/^/gm, " ".repeat(Number(n)))}`,
  eq: (a, b) => a === b,
  not: (v) => !isTruthy(v),
};

/** Go template truth: false, 0, "", nil and empty lists or maps are false. */
export function isTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value !== null && typeof value === "object") return Object.keys(value).length > 0;
  return Boolean(value);
}

function evalPipe(pipe: string, scope: Scope): unknown {
  const commands: string[][] = [[]];
  for (const token of pipe.match(TOKEN) ?? []) {
    if (token === "|") commands.push([]);
    else commands[commands.length - 1]!.push(token);
  }
  let value: unknown;
  commands.forEach((tokens, index) => {
    const [head = "", ...args] = tokens;
    const fn = Object.hasOwn(FUNCTIONS, head) ? FUNCTIONS[head] : undefined;
    if (!fn) {
      if (index > 0 || args.length > 0) throw new Error(`"${head}" is not a supported template function`);
      value = evalTerm(head, scope);
      return;
    }
    const values = args.map((a) => evalTerm(a, scope));
    value = fn(...(index > 0 ? [...values, value] : values));
  });
  return value;
}

function print(value: unknown, pipe: string): string {
  if (value === undefined || value === null) throw new Error(`{{ ${pipe} }} has no value`);
  if (typeof value === "object") throw new Error(`{{ ${pipe} }} is a map or list: use toYaml`);
  return String(value);
}

function evalNodes(nodes: Node[], scope: Scope): string {
  let out = "";
  for (const node of nodes) {
    if (node.kind === "text") out += node.text;
    else if (node.kind === "print") out += print(evalPipe(node.pipe, scope), node.pipe);
    else if (node.kind === "if") {
      const branch = node.branches.find((b) => isTruthy(evalPipe(b.pipe, scope)));
      out += evalNodes(branch ? branch.body : node.otherwise, scope);
    } else {
      const list = evalPipe(node.pipe, scope);
      if (list === undefined || list === null) continue;
      if (!Array.isArray(list)) throw new Error(`range ${node.pipe}: only lists are supported`);
      for (const item of list) out += evalNodes(node.body, { dot: item, root: scope.root });
    }
  }
  return out;
}

/** Renders one template with `root` as both dot and `$` (Helm passes {Values, Release, Chart}). */
export function renderTemplate(source: string, root: unknown): string {
  const [nodes] = parse(lex(source), { i: 0 }, []);
  return evalNodes(nodes, { dot: root, root });
}

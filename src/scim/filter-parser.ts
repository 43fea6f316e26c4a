// Parses a SCIM filter (RFC 7644 §3.4.2.2 ABNF) into a tree in one linear pass, with the request's
// work bounded before and during parsing: length, number of comparisons and nesting depth (issue 9
// item 3: a 200 KB dotted filter blocked SCIMMY's tokenizer for 16 s). Every attribute path is
// resolved against the schemas as it is read (attribute-catalog.ts), so nothing unknown goes further.
import { type AttributePath, type AttributeScope, resolveAttributePath } from "./attribute-catalog";
import { ScimError } from "./scim-error";

export interface FilterLimits {
  /** Longest filter accepted, in characters. */
  maxLength: number;
  /** Most comparisons in one filter, and most AND-branches it may expand to (filter-dnf.ts). */
  maxTerms: number;
}

/** Parentheses, brackets and `not` nested deeper than this are refused: recursion stays shallow. */
export const FILTER_MAX_DEPTH = 16;

export type CompareOp = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "lt" | "ge" | "le" | "pr";

export type FilterNode =
  | { kind: "compare"; path: AttributePath; op: CompareOp; value?: string | number | boolean | null }
  | { kind: "and" | "or"; left: FilterNode; right: FilterNode }
  | { kind: "not"; node: FilterNode };

type Token = { type: "(" | ")" | "[" | "]" | "word" | "string"; text: string };

const OPS = new Set(["eq", "ne", "co", "sw", "ew", "gt", "lt", "ge", "le"]);
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const TOKEN = /\s*(?:([()[\]])|("(?:[^"\\]|\\.)*")|([^\s()[\]"]+))/y;

export function invalidFilter(detail: string): ScimError {
  return new ScimError(400, "invalidFilter", detail);
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  const text = expression.trimEnd();
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const match = TOKEN.exec(text);
    if (!match) throw invalidFilter("Filter syntax error: unterminated string or stray character.");
    if (match[1]) tokens.push({ type: match[1] as Token["type"], text: match[1] });
    else if (match[2]) tokens.push({ type: "string", text: match[2] });
    else tokens.push({ type: "word", text: match[3] as string });
  }
  return tokens;
}

function literal(token: Token | undefined): string | number | boolean | null {
  if (!token) throw invalidFilter("Filter syntax error: comparison without a value.");
  if (token.type === "string") {
    try {
      return JSON.parse(token.text) as string;
    } catch {
      throw invalidFilter("Filter syntax error: invalid escape in a string value.");
    }
  }
  const lower = token.text.toLowerCase();
  if (token.type === "word" && (lower === "true" || lower === "false")) return lower === "true";
  if (token.type === "word" && lower === "null") return null;
  if (token.type === "word" && NUMBER.test(token.text)) return Number(token.text);
  throw invalidFilter("Filter syntax error: a value must be a quoted string, number, true, false or null.");
}

class Parser {
  private at = 0;
  private terms = 0;
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly limits: FilterLimits,
    private readonly scope: AttributeScope,
  ) {}

  parse(): FilterNode {
    const node = this.or();
    if (this.at < this.tokens.length)
      throw invalidFilter("Filter syntax error: unexpected text after a term.");
    return node;
  }

  private peekWord(word: string): boolean {
    const t = this.tokens[this.at];
    return t?.type === "word" && t.text.toLowerCase() === word;
  }

  private expect(type: Token["type"]): void {
    if (this.tokens[this.at]?.type !== type) throw invalidFilter(`Filter syntax error: expected "${type}".`);
    this.at += 1;
  }

  private nested<T>(inner: () => T): T {
    this.depth += 1;
    if (this.depth > FILTER_MAX_DEPTH)
      throw invalidFilter(`Filter nests deeper than ${FILTER_MAX_DEPTH} levels.`);
    const result = inner();
    this.depth -= 1;
    return result;
  }

  private or(parent?: AttributePath): FilterNode {
    let node = this.and(parent);
    while (this.peekWord("or")) {
      this.at += 1;
      node = { kind: "or", left: node, right: this.and(parent) };
    }
    return node;
  }

  private and(parent?: AttributePath): FilterNode {
    let node = this.unary(parent);
    while (this.peekWord("and")) {
      this.at += 1;
      node = { kind: "and", left: node, right: this.unary(parent) };
    }
    return node;
  }

  private unary(parent?: AttributePath): FilterNode {
    if (this.peekWord("not")) {
      this.at += 1;
      this.expect("(");
      const node = this.nested(() => this.or(parent));
      this.expect(")");
      return { kind: "not", node };
    }
    if (this.tokens[this.at]?.type === "(") {
      this.at += 1;
      const node = this.nested(() => this.or(parent));
      this.expect(")");
      return node;
    }
    return this.attributeExpression(parent);
  }

  private path(text: string, parent?: AttributePath): AttributePath {
    return resolveAttributePath(text, this.scope, "invalidFilter", parent);
  }

  /** attrExp, or valuePath `attr[valFilter]` optionally followed by `.sub op value` (Entra, Okta). */
  private attributeExpression(parent?: AttributePath): FilterNode {
    const token = this.tokens[this.at];
    if (token?.type !== "word") throw invalidFilter("Filter syntax error: expected an attribute name.");
    this.at += 1;
    if (!parent && this.tokens[this.at]?.type === "[") {
      const outer = this.path(token.text);
      if (outer.sub) throw invalidFilter("Filter syntax error: a value filter belongs on an attribute.");
      this.at += 1;
      const inner = this.nested(() => this.or(outer));
      this.expect("]");
      const next = this.tokens[this.at];
      if (next?.type !== "word" || !next.text.startsWith(".")) return inner;
      this.at += 1;
      return { kind: "and", left: inner, right: this.comparison(this.path(next.text.slice(1), outer)) };
    }
    return this.comparison(this.path(token.text, parent));
  }

  private comparison(path: AttributePath): FilterNode {
    this.terms += 1;
    if (this.terms > this.limits.maxTerms)
      throw invalidFilter(`Filter has more than ${this.limits.maxTerms} comparisons.`);
    const opToken = this.tokens[this.at];
    const op = opToken?.type === "word" ? opToken.text.toLowerCase() : "";
    this.at += 1;
    if (op === "pr") return { kind: "compare", path, op };
    if (!OPS.has(op)) throw invalidFilter("Filter syntax error: unknown comparison operator.");
    const value = literal(this.tokens[this.at]);
    this.at += 1;
    return { kind: "compare", path, op: op as CompareOp, value };
  }
}

/** Parses within the limits, resolving every path in `scope`; any violation is 400 invalidFilter. */
export function parseFilterTree(expression: string, limits: FilterLimits, scope: AttributeScope): FilterNode {
  if (expression.length > limits.maxLength)
    throw invalidFilter(`Filter is longer than ${limits.maxLength} characters.`);
  const tokens = tokenize(expression);
  if (tokens.length === 0) throw invalidFilter("Filter is empty.");
  return new Parser(tokens, limits, scope).parse();
}

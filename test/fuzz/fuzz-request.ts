// The fuzzer's one arbitrary: an IdP fixture request with up to three mutations applied (body values
// and keys, PATCH paths and ops, query parameters, path segments, tenant, auth, headers, encoding).
import fc from "fast-check";
import { type FuzzIdp, LEAVER_MARK, loadTemplates, type RequestTemplate } from "./fuzz-templates";
import {
  type AuthKind,
  attrPath,
  authKind,
  badEscape,
  filterText,
  headerPair,
  isRawJson,
  multiValuedAttribute,
  nastyEntries,
  nastyKey,
  nastyValue,
  numericParam,
  pathSegment,
  rawBody,
  resourcePath,
  tenantSegment,
} from "./fuzz-values";

/** What reaches the wire; USER/GROUP markers are filled by the sender. Printable as a counterexample. */
export interface FuzzRequest {
  origin: string;
  idp: FuzzIdp;
  /** Which pool person of the tenant a USER marker names. */
  person: number;
  tenantSegment?: string;
  auth: AuthKind;
  method: string;
  /** Raw path below /scim/v2/{tenant}; the sender percent-encodes only what Node refuses to send. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  encoding?: "gzip" | "gzip-corrupt" | "invalid-utf8" | "truncate";
  /** A malformed HTTP request written to a raw socket instead (Node's own 400/431 answers). */
  socket?: string;
}

export type Mutation =
  | { kind: "value"; at: number; value: unknown }
  | { kind: "key"; at: number; key: string; value: unknown }
  | { kind: "patchPath"; at: number; path: string }
  | { kind: "patchOp"; at: number; op: string }
  | { kind: "query"; name: string; value: string; encode: boolean }
  | { kind: "segment"; value: string }
  | { kind: "resource"; path: string }
  | { kind: "tenant"; value: string }
  | { kind: "auth"; value: AuthKind }
  | { kind: "header"; name: string; value: string }
  | { kind: "body"; raw: string }
  | { kind: "encoding"; value: NonNullable<FuzzRequest["encoding"]> }
  | { kind: "method"; value: string }
  | { kind: "socket"; raw: string }
  | { kind: "search"; resource: string; post: boolean; filter: string; attributes?: string }
  | { kind: "damage"; attribute: string; entries: unknown[]; op: string; withPath: boolean };

const queryMutation = fc.oneof(
  fc.record({ name: fc.constant("filter"), value: filterText, encode: fc.boolean() }),
  fc.record({
    name: fc.constantFrom("attributes", "excludedAttributes", "sortBy"),
    value: fc.oneof(
      attrPath,
      fc.array(attrPath, { minLength: 2, maxLength: 6 }).map((a) => a.join(",")),
      fc.integer({ min: 100, max: 3_000 }).map((n) => Array(n).fill("userName").join(",")),
    ),
    encode: fc.boolean(),
  }),
  fc.record({
    name: fc.constantFrom("startIndex", "count", "sortOrder"),
    value: numericParam,
    encode: fc.constant(true),
  }),
  fc.record({
    name: fc.constantFrom("filter[__proto__]", "filter[]", "attributes[constructor]", "__proto__"),
    value: fc.constantFrom("x", "polluted"),
    encode: fc.constant(false),
  }),
  fc.record({ name: fc.constantFrom("filter", "attributes"), value: badEscape, encode: fc.constant(false) }),
);

/** Turns the request into a PATCH of a leaver's multi-valued attribute (what their revocation must survive). */
const damage = fc.record({
  kind: fc.constant("damage" as const),
  attribute: multiValuedAttribute,
  entries: nastyEntries,
  op: fc.constantFrom("add", "replace", "Add", "Replace"),
  withPath: fc.boolean(),
});

/** Malformed requests only a raw socket can send: Node answers them before Express sees them. */
const SOCKET_REQUESTS = [
  "GET /scim/v2/entra/Users HTTP/1.1\r\nHost: x\r\nbad header line\r\n\r\n",
  "GET /scim/v2/entra/Users HTTP/1.1\r\nHost: x\r\nX-Nul: a\u0000b\r\n\r\n",
  `GET /scim/v2/entra/Users?filter=${"a".repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
  "POST /scim/v2/entra/Users HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n\r\n",
  "POST /scim/v2/entra/Users HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
  "G@T /scim/v2/entra/Users HTTP/1.1\r\nHost: x\r\n\r\n",
];

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant("value" as const), at: fc.nat(), value: nastyValue }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("key" as const),
      at: fc.nat(),
      key: nastyKey,
      value: nastyValue,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant("patchPath" as const), at: fc.nat(), path: attrPath }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("patchOp" as const),
      at: fc.nat(),
      op: fc.constantFrom("Add", "remove", "REPLACE", "move", "", "__proto__"),
    }),
  },
  { weight: 4, arbitrary: queryMutation.map((q) => ({ kind: "query" as const, ...q })) },
  { weight: 2, arbitrary: pathSegment.map((value) => ({ kind: "segment" as const, value })) },
  { weight: 1, arbitrary: resourcePath.map((path) => ({ kind: "resource" as const, path })) },
  { weight: 1, arbitrary: tenantSegment.map((value) => ({ kind: "tenant" as const, value })) },
  { weight: 1, arbitrary: authKind.map((value) => ({ kind: "auth" as const, value })) },
  { weight: 2, arbitrary: headerPair.map(([name, value]) => ({ kind: "header" as const, name, value })) },
  { weight: 1, arbitrary: rawBody.map((raw) => ({ kind: "body" as const, raw })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom("gzip", "gzip-corrupt", "invalid-utf8", "truncate")
      .map((value) => ({ kind: "encoding" as const, value: value as NonNullable<FuzzRequest["encoding"]> })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "PROPFIND")
      .map((value) => ({ kind: "method" as const, value })),
  },
  { weight: 3, arbitrary: damage },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...SOCKET_REQUESTS).map((raw) => ({ kind: "socket" as const, raw })),
  },
  {
    weight: 3,
    arbitrary: fc.record(
      {
        kind: fc.constant("search" as const),
        resource: fc.constantFrom("/Users", "/Groups", ""),
        post: fc.boolean(),
        filter: filterText,
        attributes: fc.oneof(
          attrPath,
          fc.array(attrPath, { minLength: 2, maxLength: 5 }).map((a) => a.join(",")),
        ),
      },
      { requiredKeys: ["kind", "resource", "post", "filter"] },
    ),
  },
);

const SEARCH_REQUEST = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

/** A list request (GET with a query, or POST …/.search with the same in the body: RFC 7644 §3.4.3). */
function applySearch(d: Draft, m: Extract<Mutation, { kind: "search" }>): void {
  d.req.headers = {};
  if (m.post) {
    d.req.method = "POST";
    d.req.path = `${m.resource}/.search`;
    d.body = {
      schemas: [SEARCH_REQUEST],
      filter: m.filter,
      ...(m.attributes ? { attributes: m.attributes.split(",") } : {}),
    };
    return;
  }
  d.req.method = "GET";
  d.body = undefined;
  d.req.body = undefined;
  d.req.path = withQuery(m.resource || "/Users", "filter", m.filter, true);
  if (m.attributes) d.req.path = withQuery(d.req.path, "attributes", m.attributes, true);
}

/** A request being built: the body stays a JS value until the end, raw fragments as sentinels. */
interface Draft {
  req: FuzzRequest;
  body: unknown;
  raws: string[];
}

/** Every container node of a JSON value with a way to replace one of its children. */
type Slot = { parent: Record<string, unknown> | unknown[]; key: string | number };

function slots(root: unknown): Slot[] {
  const out: Slot[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const [i, v] of node.entries()) {
        out.push({ parent: node, key: i });
        walk(v);
      }
    } else if (node && typeof node === "object") {
      for (const [k, v] of Object.entries(node)) {
        out.push({ parent: node as Record<string, unknown>, key: k });
        walk(v);
      }
    }
  };
  walk(root);
  return out;
}

function objects(root: unknown): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      out.push(node as Record<string, unknown>);
      Object.values(node).forEach(walk);
    }
  };
  walk(root);
  return out;
}

/** Raw fragments become string sentinels until the body is serialised. */
function embed(draft: Draft, value: unknown): unknown {
  if (!isRawJson(value)) return structuredClone(value);
  draft.raws.push(value.raw);
  return `@@RAW${draft.raws.length - 1}@@`;
}

/** Defines a key even when it is `__proto__` (an own property, as JSON.parse makes it). */
function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function operations(body: unknown): Array<Record<string, unknown>> {
  const ops = (body as { Operations?: unknown } | undefined)?.Operations;
  return Array.isArray(ops)
    ? ops.filter((o): o is Record<string, unknown> => !!o && typeof o === "object")
    : [];
}

function withQuery(path: string, name: string, value: string, encode: boolean): string {
  const enc = (s: string) => (encode ? encodeUtf8(s) : s);
  return `${path}${path.includes("?") ? "&" : "?"}${enc(name)}=${enc(value)}`;
}

/** Percent-encodes everything outside RFC 3986 unreserved, as UTF-8 (lone surrogates become U+FFFD). */
export function encodeUtf8(text: string): string {
  return [...Buffer.from(text, "utf8")]
    .map((b) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, "0")}`,
    )
    .join("");
}

function replaceSegment(path: string, value: string): string {
  const [route = "", query] = path.split("?", 2);
  const parts = route.split("/");
  if (parts.length > 2) parts[parts.length - 1] = value;
  else parts.push(value);
  return parts.join("/") + (query === undefined ? "" : `?${query}`);
}

function applyDamage(d: Draft, m: Extract<Mutation, { kind: "damage" }>): void {
  d.req.method = "PATCH";
  d.req.path = `/Users/${LEAVER_MARK}`;
  d.req.headers = {};
  const op = m.withPath
    ? { op: m.op, path: m.attribute, value: m.entries }
    : { op: m.op, value: { [m.attribute]: m.entries } };
  d.body = { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [op] };
}

function applyBodyMutation(d: Draft, m: Mutation): boolean {
  if (m.kind === "value") {
    const s = slots(d.body);
    const slot = s[m.at % Math.max(1, s.length)];
    if (slot) (slot.parent as Record<string | number, unknown>)[slot.key] = embed(d, m.value);
    else d.body = embed(d, m.value);
  } else if (m.kind === "key") {
    const o = objects(d.body);
    const target = o[m.at % Math.max(1, o.length)];
    if (target) setKey(target, m.key, embed(d, m.value));
  } else if (m.kind === "patchPath" || m.kind === "patchOp") {
    const ops = operations(d.body);
    const op = ops[m.at % Math.max(1, ops.length)];
    if (op && m.kind === "patchPath") op.path = m.path;
    if (op && m.kind === "patchOp") op.op = m.op;
  } else return false;
  return true;
}

function applyMutation(d: Draft, m: Mutation): void {
  if (applyBodyMutation(d, m)) return;
  const r = d.req;
  if (m.kind === "query") r.path = withQuery(r.path, m.name, m.value, m.encode);
  else if (m.kind === "segment") r.path = replaceSegment(r.path, m.value);
  else if (m.kind === "resource") r.path = m.path;
  else if (m.kind === "tenant") r.tenantSegment = m.value;
  else if (m.kind === "auth") r.auth = m.value;
  else if (m.kind === "header") r.headers[m.name] = m.value;
  else if (m.kind === "body") {
    d.body = undefined;
    r.body = m.raw;
  } else if (m.kind === "encoding") r.encoding = m.value;
  else if (m.kind === "method") r.method = m.value;
  else if (m.kind === "socket") r.socket = m.raw;
  else if (m.kind === "search") applySearch(d, m);
  else if (m.kind === "damage") applyDamage(d, m);
}

export function buildRequest(t: RequestTemplate, person: number, mutations: Mutation[]): FuzzRequest {
  const req: FuzzRequest = {
    origin: `${t.origin} + ${mutations.map((m) => m.kind).join(",") || "as is"}`,
    idp: t.idp,
    person,
    auth: "own",
    method: t.method,
    path: t.path,
    headers: { ...t.headers },
  };
  const draft: Draft = { req, body: structuredClone(t.body), raws: [] };
  for (const m of mutations) applyMutation(draft, m);
  if (draft.body !== undefined) {
    req.body = JSON.stringify(draft.body).replace(
      /"@@RAW(\d+)@@"/g,
      (_m, i: string) => draft.raws[Number(i)] ?? "null",
    );
    req.headers["content-type"] ??= "application/scim+json";
  }
  return req;
}

/** What fast-check generates and shrinks: a fixture request, a pool person and the mutations. */
export interface FuzzCase {
  template: RequestTemplate;
  person: number;
  mutations: Mutation[];
}

export function buildCase(c: FuzzCase): FuzzRequest {
  return buildRequest(c.template, c.person, c.mutations);
}

let templates: RequestTemplate[] | undefined;

/** One mutated IdP request; `maxMutations` 0 replays fixtures as they are. */
export function fuzzCase(maxMutations = 3): fc.Arbitrary<FuzzCase> {
  templates ??= loadTemplates();
  return fc.record({
    template: fc.constantFrom(...templates),
    person: fc.nat(2),
    mutations: fc.array(mutation, { minLength: maxMutations > 0 ? 1 : 0, maxLength: maxMutations }),
  });
}

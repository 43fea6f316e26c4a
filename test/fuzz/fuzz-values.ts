// The hostile building blocks the fuzzer splices into IdP requests: JSON values, attribute paths,
// filters, query values, path segments and headers (the attack surface of issue #9 and ARCHITECTURE §3).
import fc from "fast-check";
import { GROUP_MARK, USER_MARK } from "./fuzz-templates";

/** A JSON fragment spliced in as text (what JSON.stringify cannot produce: deep nesting, 1e400). */
export interface RawJson {
  raw: string;
}

export function isRawJson(value: unknown): value is RawJson {
  return typeof value === "object" && value !== null && Object.keys(value).length === 1 && "raw" in value;
}

const PROTO_KEYS = ["__proto__", "constructor", "prototype"];

/** Strings that have broken JSON/SCIM stacks before: lone surrogates, NUL, case games, proto names. */
const NASTY_STRINGS = [
  "",
  " ",
  "False",
  "TRUE",
  "null",
  "\ud800",
  "a\udc00b",
  "\udfff\ud800",
  "\u0000",
  "\u202e\u0041",
  "ﬀ",
  "İ",
  "%",
  "%zz",
  "%E0%A4%A",
  "..",
  "../..",
  "*",
  "$ref",
  USER_MARK,
  GROUP_MARK,
  `${USER_MARK}:members`,
  `${GROUP_MARK}:members`,
  ...PROTO_KEYS,
  "toString",
  "hasOwnProperty",
  "urn:ietf:params:scim:schemas:core:2.0:User",
  "2026-02-30T25:61:00Z",
];

const RAW_FRAGMENTS: RawJson[] = [
  { raw: "1e400" },
  { raw: "-1e400" },
  { raw: "-0" },
  { raw: "1e-400" },
  { raw: "123456789012345678901234567890" },
  { raw: '{"__proto__":{"polluted":"yes"}}' },
  { raw: '{"constructor":{"prototype":{"polluted":"yes"}}}' },
  { raw: '[{"__proto__":{"polluted":"yes"},"value":"x"}]' },
  { raw: '{"a":1,"a":2}' },
];

/** `[[[…]]]` or `{"a":{"a":…}}` this deep, as text (issue #9: 10,000 levels → 500). */
export const deepJson = fc.tuple(fc.integer({ min: 50, max: 12_000 }), fc.boolean()).map(
  ([depth, arrays]): RawJson => ({
    raw: arrays ? "[".repeat(depth) + "]".repeat(depth) : '{"a":'.repeat(depth) + "1" + "}".repeat(depth),
  }),
);

export const nastyString = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 12 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 120_000 }).map((n) => "x".repeat(n)) },
);

/** Many entries in one multi-valued attribute (issue #9: 16,000 emails, quadratic duplicate check). */
const manyEntries = fc
  .integer({ min: 50, max: 3_000 })
  .map((n) => Array.from({ length: n }, (_, i) => ({ value: `e${i}@fuzz.example`, type: "work" })));

const smallJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -1, 1.5),
    nastyString,
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(
      fc.oneof(fc.constantFrom(...PROTO_KEYS, "value", "type", "primary"), fc.string()),
      tie("value"),
      {
        maxKeys: 3,
      },
    ),
  ),
})).value;

/** A value spliced into a body in place of an attribute value. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(null, true, false, 0, -1, 1.5, [], [null], [null, null], [1], [""], {}),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom([{ value: null }], [{ value: {} }], [{ value: "a", primary: "yes" }]),
  },
  { weight: 4, arbitrary: nastyString },
  { weight: 2, arbitrary: smallJson },
  { weight: 1, arbitrary: manyEntries },
  { weight: 2, arbitrary: fc.constantFrom(...RAW_FRAGMENTS) },
  { weight: 1, arbitrary: deepJson },
);

export const nastyKey = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PROTO_KEYS) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "urn:ietf:params:scim:schemas:core:2.0:User:__proto__",
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.__proto__",
      "name.__proto__",
      'emails[type eq "work"].value',
      "EMAILS",
      "Active",
      "",
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
);

/** Attribute paths for filters, PATCH paths, `attributes`, `sortBy` — valid, odd and polluting. */
export const attrPath = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      "userName",
      "id",
      "externalId",
      "displayName",
      "active",
      "emails",
      "emails.value",
      'emails[type eq "work"].value',
      'emails[type eq "work"]',
      "name.givenName",
      "meta.lastModified",
      "meta.created",
      "members",
      "members.value",
      'members[value eq "x"]',
      "groups.value",
      "phoneNumbers",
      "roles",
      "urn:ietf:params:scim:schemas:core:2.0:User:userName",
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
      "urn:keybridge:params:scim:schemas:extension:access:2.0:User:site",
    ),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "__proto__",
      "__proto__.authorization",
      "__proto__.attributes",
      "__proto__.polluted",
      "constructor.prototype.polluted",
      "prototype",
      "name.__proto__.polluted",
      'emails[__proto__ eq "x"]',
      'emails[type eq "work"].__proto__',
      "urn:ietf:params:scim:schemas:core:2.0:User:__proto__.polluted",
      'members[value eq "x"].constructor',
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 2, max: 400 }).map((n) => Array(n).fill("a").join(".")) },
  { weight: 1, arbitrary: fc.string({ maxLength: 16 }) },
);

const filterValue = fc.oneof(
  fc.constantFrom(
    '"x"',
    "true",
    "false",
    "null",
    "42",
    "1e400",
    '"2026-01-01T00:00:00Z"',
    `"${USER_MARK}"`,
    `"${USER_MARK}:members"`,
    `"${GROUP_MARK}:members"`,
    '"unterminated',
    '"\\ud800"',
  ),
  nastyString.filter((s) => s.length < 200).map((s) => JSON.stringify(s)),
);

const filterOp = fc.constantFrom("eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "EQ", "xx");

const comparison = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(attrPath, filterOp, filterValue).map(([a, o, v]) => `${a} ${o} ${v}`) },
  { weight: 1, arbitrary: attrPath.map((a) => `${a} pr`) },
);

/** SCIM filters (RFC 7644 §3.4.2.2): comparisons joined by and/or/not/parentheses, some unbalanced. */
export const filterText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: comparison },
  {
    weight: 2,
    arbitrary: fc
      .tuple(comparison, fc.constantFrom(" and ", " or ", " AND "), comparison)
      .map(([a, j, b]) => a + j + b),
  },
  { weight: 1, arbitrary: comparison.map((c) => `not (${c})`) },
  { weight: 1, arbitrary: comparison.map((c) => `((${c})`) },
  { weight: 1, arbitrary: fc.constantFrom("", "and", "userName eq", "(", ")", 'userName eq "a" and') },
);

/** Percent escapes that are malformed or decode to something odd (issue #9: 500 on `%` in a path). */
export const badEscape = fc.constantFrom(
  "%",
  "%zz",
  "%E0%A4%A",
  "%ED%A0%80",
  "%00",
  "%C0%AF",
  "%2e%2e%2f",
  "%FF",
);

export const numericParam = fc.constantFrom(
  "1e400",
  "-1",
  "0",
  "NaN",
  "99999999999999999999",
  "1.5",
  "",
  "0x10",
  "1",
);

export const pathSegment = fc.oneof(
  fc.constantFrom(
    `${USER_MARK}:members`,
    `${GROUP_MARK}:members`,
    "__proto__",
    "constructor",
    "prototype",
    "..",
    "%2e%2e",
    "*",
    `${USER_MARK}%00`,
    `${USER_MARK}/extra`,
    "",
  ),
  badEscape,
  fc.integer({ min: 300, max: 6_000 }).map((n) => "a".repeat(n)),
);

export const resourcePath = fc.constantFrom(
  "/.search",
  "/Users/.search",
  "/Groups/.search",
  "/Schemas",
  "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User",
  "/Schemas/__proto__",
  "/ResourceTypes/User",
  "/ResourceTypes/constructor",
  "/ServiceProviderConfig",
  "/Bulk",
  "/Me",
  "//Users",
  `/Groups/${GROUP_MARK}/members`,
);

export const tenantSegment = fc.constantFrom(
  "unknown",
  "__proto__",
  "constructor",
  "%zz",
  "%",
  "ENTRA",
  "entra%00",
  "okta",
  "sailpoint",
);

export type AuthKind = "own" | "none" | "wrong" | "otherTenant" | "bare" | "basic" | "emptyBearer";

export const authKind = fc.constantFrom<AuthKind>(
  "none",
  "wrong",
  "otherTenant",
  "bare",
  "basic",
  "emptyBearer",
);

export const headerPair: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(
    fc.constant("content-type"),
    fc.constantFrom(
      "application/json",
      "text/plain",
      "application/scim+json; charset=latin1",
      "application/scim+json; charset=utf-16",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/xml",
    ),
  ),
  fc.tuple(
    fc.constant("content-encoding"),
    fc.constantFrom("gzip", "deflate", "br", "x-unknown", "identity"),
  ),
  fc.tuple(
    fc.constant("host"),
    fc.constantFrom("evil.example", "localhost:1", "a".repeat(300), "[::1]", "é.example"),
  ),
  fc.tuple(
    fc.constantFrom("x-forwarded-proto", "x-forwarded-host", "x-forwarded-for"),
    fc.constantFrom("javascript", "evil.example", "1.2.3.4, 5.6.7.8", "https"),
  ),
  fc.tuple(fc.constantFrom("if-match", "if-none-match"), fc.constantFrom("*", 'W/"x"', '"1"', "garbage")),
  fc.tuple(fc.constant("x-request-id"), fc.constantFrom("a".repeat(500), "<script>", "id\u00ff")),
  fc.tuple(fc.constant("accept"), fc.constantFrom("text/html", "application/xml", "*/*;q=0")),
  fc.tuple(fc.constant("x-http-method-override"), fc.constantFrom("DELETE", "PUT")),
  fc.tuple(
    fc.constant("x-oversize"),
    fc.integer({ min: 17_000, max: 40_000 }).map((n) => "h".repeat(n)),
  ),
);

/** Whole bodies as text: empty, scalars, truncated, duplicate keys, NUL, deep nesting. */
export const rawBody = fc.oneof(
  fc.constantFrom(
    "",
    "null",
    "[]",
    '"x"',
    "123",
    "{",
    '{"schemas":',
    '{"a":1,"a":2}',
    "\u0000",
    "{}",
    '{"Operations":null}',
  ),
  deepJson.map((d) => d.raw),
  deepJson.map(
    (d) =>
      `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","value":${d.raw}}]}`,
  ),
);

/** Entries of a multi-valued attribute the pipeline has to live with (issue #9: `"emails":[null]`). */
export const nastyEntries: fc.Arbitrary<unknown[]> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom<unknown[]>(
      [null],
      [null, null],
      [{ value: "ok@pool.example", type: "work" }, null],
      ["s"],
      [1],
      [[]],
      [{}],
      [{ value: null }],
      [{ value: {} }],
      [{ value: [] }],
      [{ value: "x", primary: "yes" }],
      [{ value: "", type: "__proto__" }],
      [{ value: "+49 1", type: {} }],
    ),
  },
  { weight: 1, arbitrary: fc.array(smallJson, { minLength: 1, maxLength: 3 }) },
);

/** Multi-valued attributes; emails and phone numbers feed the key system's holder (access/holder-spec.ts). */
export const multiValuedAttribute = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("emails", "phoneNumbers") },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      "addresses",
      "ims",
      "photos",
      "roles",
      "entitlements",
      "x509Certificates",
      "groups",
    ),
  },
);

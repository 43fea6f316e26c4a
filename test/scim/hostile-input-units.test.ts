// The pure checks behind the hostile-input limits: the nesting scan reads strings as JSON does, and
// forbidden names are found in paths and value filters but never inside string literals.
import { withinNestingDepth } from "../../src/scim/json-nesting-depth";
import { namesForbiddenAttribute } from "../../src/scim/patch-path";

describe("withinNestingDepth", () => {
  test.each([
    ['{"a":[{"b":1}]}', 3, true],
    ['{"a":[{"b":1}]}', 2, false],
    ['{"a":"[[[[[[{{{{"}', 1, true],
    ['{"a":"\\"[[["}', 1, true],
    ['{"a":"\\\\"}', 1, true],
    ['{"a":"\\\\", "b":[[1]]}', 2, false],
    ['[[["unterminated', 2, false],
  ])("%s within %i levels: %s", (text, max, expected) => {
    expect(withinNestingDepth(text, max)).toBe(expected);
  });

  test("agrees with the real depth of what JSON.parse builds", () => {
    const depth = (v: unknown): number =>
      v !== null && typeof v === "object" ? 1 + Math.max(0, ...Object.values(v as object).map(depth)) : 0;
    const samples = [
      '{"a":{"b":{"c":[1,[2,[3]]]}}}',
      '[{"x":"]]]}}}"},[[{"y":"\\"{"}]]]',
      '{"k":"\\\\\\"[","l":[]}',
    ];
    for (const text of samples) {
      const real = depth(JSON.parse(text));
      expect(withinNestingDepth(text, real)).toBe(true);
      expect(withinNestingDepth(text, real - 1)).toBe(false);
    }
  });
});

describe("namesForbiddenAttribute", () => {
  test.each([
    "__proto__",
    "name.__PROTO__",
    'emails[constructor.prototype.x eq "1"].value',
    'members[value eq "a" or __proto__ pr]',
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:prototype",
  ])("%s is forbidden", (text) => {
    expect(namesForbiddenAttribute(text)).toBe(true);
  });

  test.each([
    'emails[value eq "constructor@example.org"]',
    'members[value eq "__proto__"]',
    "x-prototype",
    "name.givenName",
    'emails[type eq "work" and value co "\\"prototype\\""]',
  ])("%s is allowed", (text) => {
    expect(namesForbiddenAttribute(text)).toBe(false);
  });
});

// The fast filter parser must give SCIMMY's exact output for every filter it takes, and take the
// shapes IdPs send on each lookup; everything else it must leave to SCIMMY.
import SCIMMY from "scimmy";
import { parseSimpleFilter } from "../../src/scim/simple-filter";

function scimmyParse(expression: string): unknown {
  try {
    return JSON.parse(JSON.stringify(new SCIMMY.Types.Filter(expression)));
  } catch {
    return "rejected";
  }
}

const ATTRS = [
  "userName",
  "UserName",
  "USERNAME",
  "externalId",
  "externalid",
  "id",
  "ID",
  "displayName",
  "meta.lastModified",
  "Meta.LastModified",
  "name.givenName",
  "emails.value",
  "members",
  "manager.value",
  "a1",
];
const OPS = ["eq", "EQ", "Eq", "sw", "co", "gt", "ge", "ne", "ew", "lt", "le"];
const VALUES = [
  "",
  "x",
  "a b",
  "a and b",
  "a AND b",
  "(x)",
  "a)",
  "ä",
  "123",
  "true",
  "null",
  "2026-01-01T00:00:00Z",
  "a'b",
  "x@y.example",
  "  spaced  ",
  "[x]",
  "a or b",
  "not",
];
const JOINS = [" and ", " AND ", "  and  ", " And "];

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

describe("parseSimpleFilter", () => {
  it.each([
    ['userName eq "ana@contoso.example"', [{ userName: ["eq", "ana@contoso.example"] }]],
    ['externalId eq "00u1" and id eq "9"', [{ externalId: ["eq", "00u1"], id: ["eq", "9"] }]],
    [
      'meta.lastModified gt "2026-11-01T00:00:00Z"',
      [{ meta: { lastModified: ["gt", "2026-11-01T00:00:00Z"] } }],
    ],
  ])("parses %s as SCIMMY does", (expression, expected) => {
    expect(parseSimpleFilter(expression)).toEqual(expected);
    expect(scimmyParse(expression)).toEqual(expected);
  });

  it.each([
    'emails[type eq "work"].value eq "a@b.example"',
    "active eq true",
    "userName pr",
    'userName eq "a\\"b"',
    'userName eq "x" or id eq "y"',
    'not (userName eq "x")',
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "m"',
    'userName eq "a and b"',
    'userName eq "x" and',
    'name eq "x" and name.givenName eq "y"',
  ])("leaves %s to SCIMMY", (expression) => {
    expect(parseSimpleFilter(expression)).toBeUndefined();
  });

  it("agrees with SCIMMY on 3,000 generated conjunctions", () => {
    const random = seeded(26_112_026);
    const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)] as T;
    let taken = 0;
    const disagreements: unknown[] = [];
    for (let i = 0; i < 3_000; i++) {
      const parts = Array.from(
        { length: 1 + Math.floor(random() * 3) },
        () => `${pick(ATTRS)} ${pick(OPS)} "${pick(VALUES)}"`,
      );
      const expression = `${random() < 0.2 ? " " : ""}${parts.reduce((a, b) => `${a}${pick(JOINS)}${b}`)}`;
      const simple = parseSimpleFilter(expression);
      if (simple === undefined) continue;
      taken++;
      const expected = scimmyParse(expression);
      if (JSON.stringify(simple) !== JSON.stringify(expected))
        disagreements.push({ expression, simple, expected });
    }
    expect(disagreements.slice(0, 3)).toEqual([]);
    expect(taken).toBeGreaterThan(1_500);
  });
});

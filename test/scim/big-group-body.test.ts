// Group POST/PUT bodies over 256 KiB (Okta's full push) are parsed in slices (parse-json-in-slices.ts).
// Over HTTP on real Redis they must give exactly what the JSON.parse path gives: the same members, and
// every refusal as the same SCIM 400 — nesting depth, a `__proto__` member, a lone surrogate, a string
// over the limit and malformed JSON — wherever in the big body the defect sits.
import { SLICED_BODY_BYTES } from "../../src/scim/read-json-body";
import { startScimHarness, type ScimHarness } from "./scim-harness";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

let h: ScimHarness;
let users: string[];
let group: string;
beforeAll(async () => {
  h = await startScimHarness({ maxGroupBodyBytes: 4 * 1024 * 1024 });
  users = [];
  for (let i = 0; i < 40; i++)
    users.push(
      String(
        (await h.call("okta", "POST", "/Users", { schemas: [CORE], userName: `u${i}@example.com` })).body.id,
      ),
    );
  group = String((await h.call("okta", "POST", "/Groups", { schemas: [GROUP], displayName: "Big" })).body.id);
});
afterAll(async () => h.stop());

/** A full push naming every user many times over (Okta repeats nothing, but size is what matters). */
function bigBody(memberCount = 8000): { text: string; members: string[] } {
  const members = Array.from({ length: memberCount }, (_, i) => ({
    value: users[i % users.length],
    display: `Member number ${i} of the big group`,
  }));
  const text = JSON.stringify({ schemas: [GROUP], displayName: "Big", members }, null, 1);
  return { text, members: users };
}

/** Puts `insert` into the body's member list at about its middle, so the defect sits deep in a slice. */
function withDefect(insert: string): string {
  const { text } = bigBody();
  const at = text.indexOf("},", Math.floor(text.length / 2)) + 2;
  return `${text.slice(0, at)}${insert},${text.slice(at)}`;
}

test("a 300+ KiB full push PUT sets exactly the members the body names", async () => {
  const { text, members } = bigBody();
  expect(text.length).toBeGreaterThan(SLICED_BODY_BYTES);
  const put = await h.call("okta", "PUT", `/Groups/${group}`, text);
  expect(put.status).toBe(200);
  const read = await h.call("okta", "GET", `/Groups/${group}`);
  const got = (read.body.members as { value: string }[]).map((m) => m.value);
  expect([...got].sort()).toEqual([...members].sort());
  const posted = await h.call("okta", "POST", "/Groups", text.replace('"Big"', '"Big too"'));
  expect(posted.status).toBe(201);
  expect((posted.body.members as unknown[]).length).toBe(users.length);
});

test.each([
  [
    "too deep",
    `{"value":${"[".repeat(70)}${"]".repeat(70)}}`,
    "invalidSyntax",
    "nests objects and arrays too deeply",
  ],
  ["a __proto__ member", '{"__proto__":{"polluted":true},"value":"x"}', "invalidSyntax", '"__proto__"'],
  ["a lone surrogate", '{"value":"a\\ud800b"}', "invalidValue", "lone UTF-16 surrogate"],
  ["a string over the limit", `{"value":"${"s".repeat(70_000)}"}`, "invalidValue", "longer than"],
  ["malformed JSON", '{"value":"x" "display":"y"}', "invalidSyntax", "not valid JSON"],
  ["a trailing comma", '{"value":"x",}', "invalidSyntax", "not valid JSON"],
])("a big body with %s is a SCIM 400 and changes nothing", async (_name, insert, scimType, detail) => {
  const before = await h.call("okta", "GET", `/Groups/${group}`);
  const text = withDefect(insert);
  expect(text.length).toBeGreaterThan(SLICED_BODY_BYTES);
  const res = await h.call("okta", "PUT", `/Groups/${group}`, text);
  expect(res.status).toBe(400);
  expect(res.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], scimType });
  expect(String(res.body.detail)).toContain(detail);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  const after = await h.call("okta", "GET", `/Groups/${group}`);
  expect(after.body.meta).toEqual(before.body.meta);
});

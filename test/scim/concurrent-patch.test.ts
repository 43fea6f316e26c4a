// Concurrent PATCHes over HTTP never lose an update (issue 2 §5): parallel member adds on one group,
// and parallel attribute changes on one user.
import { startScimHarness, type ScimHarness } from "./scim-harness";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

let h: ScimHarness;
beforeAll(async () => {
  h = await startScimHarness();
});
afterAll(async () => h.stop());

test("20 parallel member-add PATCHes on one group all land, with 20 hook calls", async () => {
  const users = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      h.call("entra", "POST", "/Users", { schemas: [CORE], userName: `c${i}@example.com` }),
    ),
  );
  const group = await h.call("entra", "POST", "/Groups", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    displayName: "Hot",
  });
  const before = h.changes.length;
  const results = await Promise.all(
    users.map((u) =>
      h.call("entra", "PATCH", `/Groups/${group.body.id}`, {
        schemas: [PATCH],
        Operations: [{ op: "Add", path: "members", value: [{ $ref: null, value: u.body.id }] }],
      }),
    ),
  );
  expect(results.map((r) => r.status)).toEqual(Array(20).fill(204));
  const read = await h.call("entra", "GET", `/Groups/${group.body.id}`);
  const members = (read.body.members as { value: string }[]).map((m) => m.value).sort();
  expect(members).toEqual(users.map((u) => String(u.body.id)).sort());
  expect(h.changes.length - before).toBe(20);
});

test("parallel PATCHes of different attributes on one user all land", async () => {
  const user = await h.call("okta", "POST", "/Users", { schemas: [CORE], userName: "many@example.com" });
  const attributes = [
    "title",
    "nickName",
    "displayName",
    "locale",
    "userType",
    "preferredLanguage",
    "timezone",
    "profileUrl",
  ];
  const results = await Promise.all(
    attributes.map((path) =>
      h.call("okta", "PATCH", `/Users/${user.body.id}`, {
        schemas: [PATCH],
        Operations: [
          { op: "replace", path, value: path === "profileUrl" ? "https://example.com/p" : `v-${path}` },
        ],
      }),
    ),
  );
  expect(results.map((r) => r.status)).toEqual(Array(attributes.length).fill(200));
  const read = await h.call("okta", "GET", `/Users/${user.body.id}`);
  for (const path of attributes)
    expect(read.body[path]).toBe(path === "profileUrl" ? "https://example.com/p" : `v-${path}`);
});

// GET and PATCH /Users/{id} read the user while the request is being admitted (prefetch-user.ts): the
// head start must never hand a user to a caller admission refuses, nor across tenants.
import { startScimHarness, type ScimHarness } from "./scim-harness";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

let h: ScimHarness;
let id: string;
beforeAll(async () => {
  h = await startScimHarness();
});
afterAll(async () => h.stop());
beforeEach(async () => {
  await h.reset();
  const created = await h.call("okta", "POST", "/Users", {
    schemas: [CORE],
    userName: "ada@example.com",
    active: true,
  });
  id = String(created.body.id);
});

test("a GET with a wrong token for an existing user is 401 and carries nothing of the user", async () => {
  const res = await h.call("okta", "GET", `/Users/${id}`, undefined, { authorization: "Bearer wrong" });
  expect(res.status).toBe(401);
  expect(JSON.stringify(res.body)).not.toContain("ada@example.com");
});

test("a PATCH with a wrong token changes nothing", async () => {
  const res = await h.call(
    "okta",
    "PATCH",
    `/Users/${id}`,
    { schemas: [PATCH], Operations: [{ op: "replace", value: { active: false } }] },
    { authorization: "Bearer wrong" },
  );
  expect(res.status).toBe(401);
  const read = await h.call("okta", "GET", `/Users/${id}`);
  expect(read.body).toMatchObject({ active: true, meta: { version: 'W/"1"' } });
});

test("another tenant's token on its own URL finds no user of this tenant", async () => {
  expect((await h.call("entra", "GET", `/Users/${id}`)).status).toBe(404);
  const patch = await h.call("entra", "PATCH", `/Users/${id}`, {
    schemas: [PATCH],
    Operations: [{ op: "replace", value: { active: false } }],
  });
  expect(patch.status).toBe(404);
  expect((await h.call("okta", "GET", `/Users/${id}`)).body).toMatchObject({ active: true });
});

test("GET and PATCH answer from the read taken during admission, and a case-variant path still works", async () => {
  const patched = await h.call("okta", "PATCH", `/Users/${id}`, {
    schemas: [PATCH],
    Operations: [{ op: "replace", value: { active: false } }],
  });
  expect(patched.status).toBe(200);
  expect(patched.body).toMatchObject({ id, active: false, meta: { version: 'W/"2"' } });
  expect((await h.call("okta", "GET", `/Users/${id}`)).body).toEqual(patched.body);
  // Express routes are case-insensitive: a path the prefetch does not recognise is read by the route.
  expect((await h.call("okta", "GET", `/users/${id}`)).body).toEqual(patched.body);
});

// Request bodies up to config.scim.maxBodyBytes are parsed, and group POST/PUT bodies up to
// maxGroupBodyBytes (Okta's full-membership group PUT is large, scim-clients.md §2.2 Group Push step 5);
// larger ones get a 413 SCIM Error before any parsing.
import { startScimHarness, type ScimHarness } from "./scim-harness";

const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";

let h: ScimHarness;
beforeAll(async () => {
  h = await startScimHarness({ maxBodyBytes: 1024 * 1024, maxGroupBodyBytes: 3 * 1024 * 1024 });
});
afterAll(async () => h.stop());

test("a 2 MB group PUT with 30,000 member entries is parsed, not refused for its size", async () => {
  const user = await h.call("okta", "POST", "/Users", { schemas: [CORE], userName: "big@example.com" });
  const group = await h.call("okta", "POST", "/Groups", { schemas: [GROUP], displayName: "Big" });
  const padding = Array.from({ length: 30_000 }, (_, i) => ({
    value: String(user.body.id),
    display: `member-${i}@example.com`,
  }));
  const body = { schemas: [GROUP], displayName: "Big", members: padding };
  const size = JSON.stringify(body).length;
  expect(size).toBeGreaterThan(2 * 1024 * 1024);
  expect(size).toBeLessThan(3 * 1024 * 1024);
  const res = await h.call("okta", "PUT", `/Groups/${group.body.id}`, body);
  expect(res.status).toBe(200);
  const read = await h.call("okta", "GET", `/Groups/${group.body.id}`);
  expect(read.body.members).toEqual([expect.objectContaining({ value: user.body.id })]);
});

test("a body over the limit is 413 with a SCIM Error body", async () => {
  const members = Array.from({ length: 80_000 }, (_, i) => ({
    value: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
  }));
  const res = await h.call("okta", "POST", "/Groups", { schemas: [GROUP], displayName: "Too big", members });
  expect(res.status).toBe(413);
  expect(res.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "413" });
});

test("a body over maxBodyBytes outside a group POST/PUT is 413, though a group PUT may be larger", async () => {
  const emails = Array.from({ length: 90 }, (_, i) => ({ value: `${"x".repeat(12_000)}${i}@example.com` }));
  const user = await h.call("okta", "POST", "/Users", {
    schemas: [CORE],
    userName: "huge@example.com",
    emails,
  });
  expect(user.status).toBe(413);
  expect(user.body).toMatchObject({
    schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
    status: "413",
  });
  const search = await h.call("okta", "POST", "/.search", {
    filter: 'userName eq "a"',
    pad: "y".repeat(60_000).repeat(20),
  });
  expect(search.status).toBe(413);
});

// Listing behaviour clients page through (RFC 7644 §3.4.2.4; scim-clients.md §2.2 Import, §5.4):
// integer paging fields, stable order, correct totals on the first and last page, projections.
import { startScimHarness, type ScimHarness } from "./scim-harness";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

let h: ScimHarness;
const ids: string[] = [];
beforeAll(async () => {
  h = await startScimHarness({ maxPageSize: 4 });
  for (let i = 0; i < 7; i += 1) {
    const res = await h.call("okta", "POST", "/Users", { schemas: [CORE], userName: `page${i}@example.com` });
    ids.push(String(res.body.id));
  }
  await h.call("okta", "POST", "/Groups", {
    schemas: [GROUP],
    displayName: "Big",
    members: ids.map((value) => ({ value })),
  });
});
afterAll(async () => h.stop());

test("first and last page carry integer fields, a stable order and the full total", async () => {
  const first = await h.call("okta", "GET", "/Users?startIndex=1&count=3");
  expect(first.body).toMatchObject({ totalResults: 7, startIndex: 1, itemsPerPage: 3 });
  const last = await h.call("okta", "GET", "/Users?startIndex=7&count=3");
  expect(last.body).toMatchObject({ totalResults: 7, startIndex: 7, itemsPerPage: 1 });
  for (const body of [first.body, last.body])
    for (const key of ["totalResults", "startIndex", "itemsPerPage"])
      expect(Number.isInteger(body[key])).toBe(true);
  const seen: string[] = [];
  for (let start = 1; start <= 7; start += 3) {
    const page = await h.call("okta", "GET", `/Users?startIndex=${start}&count=3`);
    seen.push(...(page.body.Resources as { id: string }[]).map((r) => r.id));
  }
  expect(seen).toEqual(ids);
});

test("count is capped at maxPageSize, count=0 gives only the total, startIndex<1 counts as 1", async () => {
  const capped = await h.call("okta", "GET", "/Users?count=100");
  expect(capped.body).toMatchObject({ totalResults: 7, itemsPerPage: 4 });
  const zero = await h.call("okta", "GET", "/Users?count=0");
  expect(zero.body).toMatchObject({ totalResults: 7, itemsPerPage: 0 });
  const low = await h.call("okta", "GET", "/Users?startIndex=0&count=1");
  expect(low.body).toMatchObject({ startIndex: 1, Resources: [{ id: ids[0] }] });
});

test("no match is an empty 200 ListResponse, never 404", async () => {
  const res = await h.call(
    "okta",
    "GET",
    `/Users?filter=${encodeURIComponent('userName eq "nobody@example.com"')}`,
  );
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ totalResults: 0, itemsPerPage: 0, Resources: [] });
});

test("excludedAttributes=members leaves members out of group lists and reads", async () => {
  const list = await h.call("okta", "GET", "/Groups?excludedAttributes=members");
  const group = (list.body.Resources as Record<string, unknown>[])[0];
  expect(group).toMatchObject({ displayName: "Big" });
  expect(group).not.toHaveProperty("members");
  const full = await h.call("okta", "GET", `/Groups/${group?.id}`);
  expect((full.body.members as unknown[]).length).toBe(7);
  const slim = await h.call("okta", "GET", `/Groups/${group?.id}?excludedAttributes=members`);
  expect(slim.body).not.toHaveProperty("members");
});

test("POST /Users/.search and POST /.search page like GET", async () => {
  const search = await h.call("okta", "POST", "/Users/.search", {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
    filter: 'userName sw "page"',
    startIndex: 2,
    count: 2,
    attributes: ["userName"],
  });
  expect(search.body).toMatchObject({ totalResults: 7, startIndex: 2, itemsPerPage: 2 });
  expect((search.body.Resources as Record<string, unknown>[])[0]).toEqual({
    id: ids[1],
    schemas: [CORE],
    meta: expect.any(Object),
    userName: "page1@example.com",
  });
  const root = await h.call("okta", "POST", "/.search", {
    startIndex: 7,
    count: 4,
    excludedAttributes: ["members"],
  });
  expect(root.body).toMatchObject({
    totalResults: 8,
    itemsPerPage: 2,
    Resources: [{ id: ids[6] }, { displayName: "Big" }],
  });
});

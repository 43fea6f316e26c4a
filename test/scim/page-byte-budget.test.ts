// A list page carries about scim.limits.pageMaxBytes of resources (issue #9 item 3: a page of 1,000
// users of 1 MiB each would block every tenant for seconds). RFC 7644 §3.4.2.4 lets the server return
// fewer than `count`: itemsPerPage and startIndex must stay true so an IdP paging by them sees every
// resource exactly once, for /Users, /Groups and the root /.search alike.
import { startScimHarness, type ScimHarness } from "./scim-harness";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
const PAGE_BYTES = 20_000;

let h: ScimHarness;
beforeAll(async () => {
  h = await startScimHarness({ limits: { pageMaxBytes: PAGE_BYTES } });
});
afterAll(async () => h.stop());
beforeEach(async () => h.reset());

/** A user of about 6 KB: three pages' worth per 10 users at a 20 KB budget. */
function heavyUser(i: number) {
  return {
    schemas: [CORE],
    userName: `heavy${String(i).padStart(3, "0")}@example.com`,
    emails: Array.from({ length: 20 }, (_, j) => ({ value: `${"x".repeat(250)}${i}-${j}@example.com` })),
  };
}

interface Page {
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: { id: string }[];
}

/** Pages as an IdP does: the next startIndex is this one plus itemsPerPage, until totalResults. */
async function pageThrough(
  fetch: (startIndex: number) => Promise<Page>,
): Promise<{ ids: string[]; pages: Page[] }> {
  const ids: string[] = [];
  const pages: Page[] = [];
  let startIndex = 1;
  for (;;) {
    const page = await fetch(startIndex);
    pages.push(page);
    expect(page.startIndex).toBe(startIndex);
    expect(page.itemsPerPage).toBe(page.Resources.length);
    ids.push(...page.Resources.map((r) => r.id));
    if (page.itemsPerPage === 0 || startIndex + page.itemsPerPage > page.totalResults) break;
    startIndex += page.itemsPerPage;
  }
  return { ids, pages };
}

test("GET /Users over heavy users: short pages within the budget, every user exactly once", async () => {
  const created: string[] = [];
  for (let i = 0; i < 12; i++)
    created.push(String((await h.call("okta", "POST", "/Users", heavyUser(i))).body.id));
  const { ids, pages } = await pageThrough(
    async (s) => (await h.call("okta", "GET", `/Users?startIndex=${s}&count=10`)).body as unknown as Page,
  );
  expect([...ids].sort()).toEqual([...created].sort());
  expect(new Set(ids).size).toBe(ids.length);
  expect(pages.every((p) => p.totalResults === 12)).toBe(true);
  expect(pages.length).toBeGreaterThan(2);
  for (const p of pages) {
    // The budget counts stored bytes; the answer adds meta.location, a little per user.
    expect(JSON.stringify(p.Resources).length).toBeLessThan(PAGE_BYTES * 1.2);
    expect(p.itemsPerPage).toBeGreaterThan(0);
  }
});

test("a user bigger than the whole budget still comes, alone, so paging never stalls", async () => {
  const big = {
    ...heavyUser(1),
    emails: Array.from({ length: 80 }, (_, j) => ({ value: `${"y".repeat(400)}${j}@example.com` })),
  };
  await h.call("okta", "POST", "/Users", big);
  await h.call("okta", "POST", "/Users", heavyUser(2));
  const first = (await h.call("okta", "GET", "/Users?count=10")).body as unknown as Page;
  expect(first.itemsPerPage).toBe(1);
  expect(first.totalResults).toBe(2);
  const second = (await h.call("okta", "GET", "/Users?startIndex=2&count=10")).body as unknown as Page;
  expect(second.itemsPerPage).toBe(1);
});

test("GET /Groups with members counts the members against the budget; excludedAttributes=members does not", async () => {
  const users: string[] = [];
  for (let i = 0; i < 60; i++)
    users.push(
      String(
        (await h.call("okta", "POST", "/Users", { schemas: [CORE], userName: `m${i}@example.com` })).body.id,
      ),
    );
  const groups: string[] = [];
  for (let g = 0; g < 6; g++) {
    const members = users.map((value) => ({ value }));
    groups.push(
      String(
        (await h.call("okta", "POST", "/Groups", { schemas: [GROUP], displayName: `G${g}`, members })).body
          .id,
      ),
    );
  }
  const withMembers = await pageThrough(
    async (s) => (await h.call("okta", "GET", `/Groups?startIndex=${s}&count=6`)).body as unknown as Page,
  );
  expect([...withMembers.ids].sort()).toEqual([...groups].sort());
  expect(withMembers.pages.length).toBeGreaterThan(1);
  const page = (await h.call("okta", "GET", "/Groups?count=6&excludedAttributes=members"))
    .body as unknown as Page;
  expect(page.itemsPerPage).toBe(6);
});

test("POST /.search pages through users cut short by the budget and then the groups, none skipped", async () => {
  const expected: string[] = [];
  for (let i = 0; i < 7; i++)
    expected.push(String((await h.call("okta", "POST", "/Users", heavyUser(i))).body.id));
  for (let g = 0; g < 3; g++)
    expected.push(
      String((await h.call("okta", "POST", "/Groups", { schemas: [GROUP], displayName: `S${g}` })).body.id),
    );
  const { ids, pages } = await pageThrough(
    async (s) =>
      (await h.call("okta", "POST", "/.search", { schemas: [SEARCH], startIndex: s, count: 5 }))
        .body as unknown as Page,
  );
  // Users first, then groups (RFC 7644 §3.4.3 leaves the order to us; we keep it stable across pages).
  expect([...ids.slice(0, 7)].sort()).toEqual([...expected.slice(0, 7)].sort());
  expect([...ids].sort()).toEqual([...expected].sort());
  expect(pages.every((p) => p.totalResults === 10)).toBe(true);
});

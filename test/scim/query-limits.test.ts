// Bounded query work (issue 9 items 3, 6, 7): a filter or attribute list beyond scim.limits is a SCIM
// 400 before any parsing, filter ids never address other Redis keys, and paging numbers are clamped.
import { startScimHarness, type ScimHarness } from "./scim-harness";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const q = encodeURIComponent;

let h: ScimHarness;
let userId = "";
let groupId = "";

beforeAll(async () => {
  h = await startScimHarness({ maxPageSize: 50 });
  const user = await h.call("okta", "POST", "/Users", { schemas: [CORE], userName: "limits@example.com" });
  userId = String(user.body.id);
  const group = await h.call("okta", "POST", "/Groups", {
    schemas: [GROUP],
    displayName: "Limits",
    members: [{ value: userId }],
  });
  groupId = String(group.body.id);
});
afterAll(async () => h.stop());

describe("filter limits (scim.limits.filterMaxLength 4096, filterMaxTerms 64)", () => {
  test("a 20 KB dotted filter in POST /.search is 400 invalidFilter; a 200 KB one never reaches the parser", async () => {
    const res = await h.call("okta", "POST", "/.search", { filter: `${"a.".repeat(10_000)}b eq "x"` });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      scimType: "invalidFilter",
      detail: expect.stringMatching(/longer than 4096/),
    });
    // Over scim.limits.stringMaxLength, the body itself is refused before any filter work.
    const huge = await h.call("okta", "POST", "/.search", { filter: `${"a.".repeat(100_000)}b eq "x"` });
    expect(huge.status).toBe(400);
    expect(huge.body.detail).toMatch(/stringMaxLength/);
  });

  test("a filter of exactly 4096 characters is served; one more is 400", async () => {
    const head = 'userName eq "limits@example.com" or userName eq "';
    const fill = (n: number) => `${head}${"z".repeat(n - head.length - 1)}"`;
    const ok = await h.call("okta", "POST", "/Users/.search", { filter: fill(4096) });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ totalResults: 1 });
    const over = await h.call("okta", "POST", "/Users/.search", { filter: fill(4097) });
    expect(over.status).toBe(400);
    expect(over.body.scimType).toBe("invalidFilter");
  });

  test("65 comparisons are 400; 64 are served", async () => {
    const terms = (n: number) => Array.from({ length: n }, (_, i) => `userName eq "u${i}"`).join(" or ");
    const over = await h.call("okta", "GET", `/Users?filter=${q(terms(65))}`);
    expect(over.status).toBe(400);
    expect(over.body.detail).toMatch(/more than 64 comparisons/);
    expect((await h.call("okta", "GET", `/Users?filter=${q(terms(64))}`)).status).toBe(200);
  });

  test("an exponential or-expansion is 400, not a stall", async () => {
    const filter = Array.from({ length: 30 }, (_, i) => `(userName eq "a${i}" or userName eq "b${i}")`).join(
      " and ",
    );
    const res = await h.call("okta", "POST", "/.search", { filter });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/alternatives/);
  });
});

describe("attribute lists (scim.limits.attributesMax 100)", () => {
  test("50,000 attributes in a search body are 400 invalidValue", async () => {
    const attributes = Array.from({ length: 50_000 }, () => "userName");
    const res = await h.call("okta", "POST", "/.search", { attributes });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      scimType: "invalidValue",
      detail: expect.stringMatching(/At most 100/),
    });
  });

  test("101 excludedAttributes are 400; 100 are served", async () => {
    const list = (n: number) => Array.from({ length: n }, () => "title").join(",");
    expect((await h.call("okta", "GET", `/Users?excludedAttributes=${list(101)}`)).status).toBe(400);
    expect((await h.call("okta", "GET", `/Users?excludedAttributes=${list(100)}`)).status).toBe(200);
  });

  test("an unknown attribute is 400 invalidValue; known ones in any case are served", async () => {
    const bad = await h.call("okta", "GET", `/Users/${userId}?attributes=nope`);
    expect(bad.status).toBe(400);
    expect(bad.body.scimType).toBe("invalidValue");
    const ent = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    const good = await h.call("okta", "GET", `/Users/${userId}?attributes=USERNAME,emails.value,${ent}`);
    expect(good.status).toBe(200);
    expect(good.body.userName).toBe("limits@example.com");
  });

  test("a value filter in attributes is a precise 400: RFC 7644 §3.10 allows attribute names only", async () => {
    const res = await h.call("okta", "GET", `/Users?attributes=${q('emails[type eq "work"]')}`);
    expect(res.status).toBe(400);
    expect(res.body.scimType).toBe("invalidValue");
    expect(res.body.detail).toMatch(/RFC 7644 §3\.10/);
  });
});

describe("ids from filters are checked like path ids", () => {
  test.each([
    ["Users", () => `id eq "${userId}:groups"`],
    ["Groups", () => `id eq "${groupId}:members"`],
    ["Groups", () => `members eq "${userId}:groups"`],
    ["Groups", () => `displayName eq "Limits" and members eq "${userId}:groups"`],
    ["Users", () => `id eq "{kb:okta}:users:order"`],
    ["Groups", () => `id eq "x" or id eq "${groupId}:members"`],
  ])("%s filter %s matches nothing (200), never 500", async (type, filter) => {
    const res = await h.call("okta", "GET", `/${type}?filter=${q(filter())}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ totalResults: 0, Resources: [] });
  });

  test("a valid id still matches", async () => {
    const res = await h.call("okta", "GET", `/Groups?filter=${q(`members eq "${userId}"`)}`);
    expect(res.body).toMatchObject({ totalResults: 1, Resources: [{ id: groupId }] });
  });
});

describe("paging numbers are clamped to integers", () => {
  const huge = "9".repeat(400);
  test.each([
    ["startIndex=1e400", "GET", `/Users?startIndex=1e400`, undefined],
    ["400-digit startIndex", "GET", `/Users?startIndex=${huge}`, undefined],
    ["-400-digit startIndex", "GET", `/Users?startIndex=-${huge}`, undefined],
    ["startIndex 1e400 in a body", "POST", "/Users/.search", '{"startIndex":1e400,"count":1e400}'],
    ["count=1e400", "GET", `/Users?count=1e400`, undefined],
  ])("%s gives integer paging fields", async (_name, method, path, body) => {
    const res = await h.call("okta", method, path, body);
    expect(res.status).toBe(200);
    for (const key of ["totalResults", "startIndex", "itemsPerPage"])
      expect(Number.isSafeInteger(res.body[key])).toBe(true);
    expect(res.body.itemsPerPage as number).toBeLessThanOrEqual(50);
  });
});

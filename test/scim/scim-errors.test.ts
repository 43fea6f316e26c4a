// Failure behaviour of the SCIM edge over HTTP: every error is a SCIM Error with the right status and
// scimType (RFC 7644 §3.12), auth is per tenant with rotation, and a stopped Redis answers 503 fast.
import { TenantTokens } from "../../src/scim/tenant-tokens";
import { Redis } from "ioredis";
import { startScimHarness, type ScimHarness } from "./scim-harness";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

let h: ScimHarness;
beforeAll(async () => {
  h = await startScimHarness();
});
afterAll(async () => h.stop());
beforeEach(async () => h.reset());

const user = (userName: string) => ({ schemas: [CORE], userName, active: true });

describe("authentication", () => {
  test("a missing token is 401 with a SCIM Error body and WWW-Authenticate: Bearer", async () => {
    const res = await fetch(`${h.url}/scim/v2/okta/Users`);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(res.headers.get("content-type")).toMatch(/application\/scim\+json/);
    expect(await res.json()).toMatchObject({ schemas: [ERROR], status: "401" });
  });

  test("a wrong token and another tenant's token are both 401", async () => {
    const wrong = await h.call("okta", "GET", "/Users", undefined, { authorization: "Bearer not-a-token" });
    expect(wrong.status).toBe(401);
    const foreign = await h.call("okta", "GET", "/Users", undefined, {
      authorization: `Bearer ${h.tokens.entra}`,
    });
    expect(foreign.status).toBe(401);
  });

  test("Okta's header without the word Bearer is accepted", async () => {
    const res = await h.call("okta", "GET", "/Users", undefined, { authorization: h.tokens.okta });
    expect(res.status).toBe(200);
  });

  test("two tokens are valid at once, and a revoked one stops working", async () => {
    const client = new Redis(h.redis.url);
    try {
      const tokens = new TenantTokens({ redis: client });
      const second = await tokens.create("entra");
      const withSecond = { authorization: `Bearer ${second.secret}` };
      expect((await h.call("entra", "GET", "/Users", undefined, withSecond)).status).toBe(200);
      expect((await h.call("entra", "GET", "/Users")).status).toBe(200);
      const listed = await tokens.list("entra");
      expect(listed).toHaveLength(2);
      expect(JSON.stringify(listed)).not.toContain(second.secret);
      expect(await tokens.revoke("entra", second.id)).toBe(true);
      expect((await h.call("entra", "GET", "/Users", undefined, withSecond)).status).toBe(401);
      expect((await h.call("entra", "GET", "/Users")).status).toBe(200);
    } finally {
      client.disconnect();
    }
  });

  test("tokens are stored only as hashes", async () => {
    const client = new Redis(h.redis.url);
    try {
      const stored = await client.hvals("{kb:entra}:tokens");
      expect(stored.length).toBeGreaterThan(0);
      expect(stored.join()).not.toContain(h.tokens.entra);
    } finally {
      client.disconnect();
    }
  });
});

test("a tenant never sees another tenant's users", async () => {
  const created = await h.call("okta", "POST", "/Users", user("mine@example.com"));
  expect((await h.call("entra", "GET", `/Users/${created.body.id}`)).status).toBe(404);
  const list = await h.call(
    "entra",
    "GET",
    `/Users?filter=${encodeURIComponent('userName eq "mine@example.com"')}`,
  );
  expect(list.body).toMatchObject({ totalResults: 0 });
  expect((await h.call("okta", "GET", "/Users")).body).toMatchObject({ totalResults: 1 });
});

describe("status codes", () => {
  test("unknown tenant → 401 SCIM Error, like a wrong token (scim-edge-hygiene.test.ts)", async () => {
    const res = await fetch(`${h.url}/scim/v2/nobody/Users`, {
      headers: { authorization: `Bearer ${h.tokens.entra}` },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ schemas: [ERROR], status: "401" });
  });

  test("unknown user and group ids → 404 for GET, PUT, PATCH and DELETE", async () => {
    const id = "00000000-0000-4000-8000-000000000000";
    const patch = { schemas: [PATCH], Operations: [{ op: "replace", path: "active", value: false }] };
    expect((await h.call("okta", "GET", `/Users/${id}`)).status).toBe(404);
    expect((await h.call("okta", "PUT", `/Users/${id}`, user("x@y"))).status).toBe(404);
    expect((await h.call("okta", "PATCH", `/Users/${id}`, patch)).status).toBe(404);
    expect((await h.call("okta", "DELETE", `/Users/${id}`)).status).toBe(404);
    expect((await h.call("okta", "GET", `/Groups/${id}`)).status).toBe(404);
    const members = {
      schemas: [PATCH],
      Operations: [{ op: "add", path: "members", value: [{ value: id }] }],
    };
    expect((await h.call("okta", "PATCH", `/Groups/${id}`, members)).status).toBe(404);
  });

  test("duplicate userName in another letter case → 409 uniqueness", async () => {
    expect((await h.call("okta", "POST", "/Users", user("Dup@Example.com"))).status).toBe(201);
    const res = await h.call("okta", "POST", "/Users", user("dup@example.COM"));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ schemas: [ERROR], status: "409", scimType: "uniqueness" });
  });

  test("If-Match with a stale version → 412; with the current version the write goes through", async () => {
    const created = await h.call("generic", "POST", "/Users", user("etag@example.com"));
    const etag = created.headers.get("etag") ?? "";
    expect(etag).toBe((created.body.meta as { version: string }).version);
    const patch = { schemas: [PATCH], Operations: [{ op: "replace", path: "title", value: "One" }] };
    const ok = await h.call("generic", "PATCH", `/Users/${created.body.id}`, patch, { "if-match": etag });
    expect(ok.status).toBe(200);
    const stale = await h.call("generic", "PATCH", `/Users/${created.body.id}`, patch, { "if-match": etag });
    expect(stale.status).toBe(412);
    const put = await h.call("generic", "PUT", `/Users/${created.body.id}`, user("etag@example.com"), {
      "if-match": etag,
    });
    expect(put.status).toBe(412);
    const got = await h.call("generic", "GET", `/Users/${created.body.id}`);
    expect(got.headers.get("etag")).toBe(ok.headers.get("etag"));
  });

  // `title eq`, `userName gt`, `displayName ew` are answered since issue 10 item 10 (query-language.test.ts).
  test.each([
    ['nope eq "x"'],
    ["active gt true"],
    ['meta.created co "2026"'],
    ["userName"],
    ['userName eq "a" and (members eq "b")'],
  ])("unsupported or malformed filter %s → 400 invalidFilter", async (filter) => {
    const res = await h.call("entra", "GET", `/Users?filter=${encodeURIComponent(filter)}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ schemas: [ERROR], status: "400", scimType: "invalidFilter" });
  });

  test("a body that is not JSON → 400 invalidSyntax; a schema violation → 400 invalidValue", async () => {
    const bad = await h.call("okta", "POST", "/Users", "{not json");
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ scimType: "invalidSyntax" });
    const invalid = await h.call("okta", "POST", "/Users", { schemas: [CORE], active: true });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ scimType: "invalidValue" });
  });

  test("application/json is accepted as well as application/scim+json", async () => {
    const res = await h.call("okta", "POST", "/Users", user("json@example.com"), {
      "content-type": "application/json",
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("content-type")).toMatch(/^application\/scim\+json/);
  });

  test("x-request-id is echoed and reaches the directory change hook", async () => {
    const res = await h.call("okta", "POST", "/Users", user("corr@example.com"), {
      "x-request-id": "req-42",
    });
    expect(res.headers.get("x-request-id")).toBe("req-42");
    expect(h.changes.map((c) => c.correlationId)).toEqual(["req-42"]);
  });
});

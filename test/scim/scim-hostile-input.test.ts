// Hostile request bodies and paths over HTTP (issue #9 items 1–4): nothing from a request reaches
// Object.prototype, shapes the pipeline cannot use are 400 invalidValue in every dialect, bodies are
// bounded before parsing, and bad input is always a 4xx with a SCIM Error body, never a 500.
import { gzipSync } from "node:zlib";
import { startScimHarness, type ScimHarness, type TenantId } from "./scim-harness";
import { MAX_START_INDEX } from "../../src/scim/scim-http";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

let h: ScimHarness;
beforeAll(async () => {
  h = await startScimHarness();
});
afterAll(async () => h.stop());
beforeEach(async () => h.reset());

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH], Operations });
const scimError = (status: number, scimType?: string) => ({
  schemas: [ERROR],
  status: String(status),
  ...(scimType ? { scimType } : {}),
});

/** What Object.prototype holds before any test: a polluting request would add to it. */
const PROTOTYPE_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();
afterEach(() => {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_KEYS);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

async function createUser(tenant: TenantId = "entra", userName = "ada@example.org"): Promise<string> {
  const res = await h.call(tenant, "POST", "/Users", { schemas: [CORE], userName, active: true });
  expect(res.status).toBe(201);
  return String(res.body.id);
}

describe("nothing from a request reaches Object.prototype", () => {
  test.each([
    ["a value filter on __proto__", 'emails[__proto__.polluted eq "1"].value'],
    ["a value filter on constructor.prototype", 'emails[constructor.prototype.polluted eq "1"].value'],
    ["constructor.prototype as the path", "constructor.prototype"],
    ["prototype as a sub-attribute", "name.prototype"],
    ["an extension attribute named __proto__", `${ENTERPRISE}:__proto__`],
  ])("PATCH path with %s is 400 invalidPath", async (_name, path) => {
    const id = await createUser();
    const res = await h.call(
      "entra",
      "PATCH",
      `/Users/${id}`,
      patch({ op: "add", path, value: { polluted: 1 } }),
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject(scimError(400, "invalidPath"));
  });

  test("a member filter on __proto__ in a group PATCH is 400 invalidPath", async () => {
    const group = await h.call("okta", "POST", "/Groups", { schemas: [GROUP], displayName: "G" });
    const res = await h.call(
      "okta",
      "PATCH",
      `/Groups/${group.body.id}`,
      patch({ op: "remove", path: 'members[__proto__.polluted eq "1"]' }),
    );
    expect(res).toMatchObject({ status: 400, body: scimError(400, "invalidPath") });
  });

  test("a path-less PATCH value with a constructor key is 400 invalidPath", async () => {
    const id = await createUser();
    const res = await h.call(
      "entra",
      "PATCH",
      `/Users/${id}`,
      patch({ op: "replace", value: { constructor: { prototype: { polluted: 1 } } } }),
    );
    expect(res).toMatchObject({ status: 400, body: scimError(400, "invalidPath") });
  });

  // JSON.parse keeps "__proto__" as an own data property; such bodies are rejected, not cleaned up.
  test.each([
    [
      "POST a top-level __proto__",
      "POST",
      "/Users",
      `{"schemas":["${CORE}"],"userName":"x@y","__proto__":{"polluted":1}}`,
    ],
    [
      "POST a nested __proto__",
      "POST",
      "/Users",
      `{"schemas":["${CORE}"],"userName":"x@y","name":{"__proto__":{"polluted":1}}}`,
    ],
    [
      "POST an escaped __proto__",
      "POST",
      "/Users",
      `{"schemas":["${CORE}"],"userName":"x@y","\\u005f_proto__":{"polluted":1}}`,
    ],
    [
      "POST __proto__ in an extension",
      "POST",
      "/Users",
      `{"schemas":["${CORE}"],"userName":"x@y","${ENTERPRISE}":{"__proto__":{"polluted":1}}}`,
    ],
    [
      "POST a group with __proto__",
      "POST",
      "/Groups",
      `{"schemas":["${GROUP}"],"displayName":"G","__proto__":{"polluted":1}}`,
    ],
    [
      "PATCH a path-less __proto__",
      "PATCH",
      "/Users/ID",
      `{"schemas":["${PATCH}"],"Operations":[{"op":"replace","value":{"__proto__":{"polluted":1}}}]}`,
    ],
    [
      "PATCH a dotted-URN __proto__",
      "PATCH",
      "/Users/ID",
      `{"schemas":["${PATCH}"],"Operations":[{"op":"replace","value":{"${ENTERPRISE}":{"__proto__":{"polluted":1}}}}]}`,
    ],
    [
      "PUT a __proto__",
      "PUT",
      "/Users/ID",
      `{"schemas":["${CORE}"],"userName":"ada@example.org","__proto__":{"polluted":1}}`,
    ],
  ])("%s is 400 invalidSyntax", async (_name, method, path, body) => {
    const id = await createUser();
    const res = await h.call("entra", method, path.replace("ID", id), body);
    expect(res).toMatchObject({ status: 400, body: scimError(400, "invalidSyntax") });
  });
});

test.each([
  [
    "POST",
    "/Users",
    { schemas: [CORE], userName: "c@example.org", constructor: { prototype: { polluted: 1 } } },
  ],
  ["PUT", "/Users/ID", { schemas: [CORE], userName: "ada@example.org", prototype: { polluted: 1 } }],
  [
    "PATCH",
    "/Users/ID",
    patch({ op: "replace", value: { "name.constructor": { prototype: { polluted: 1 } } } }),
  ],
])("%s %s with constructor/prototype keys never reaches Object.prototype", async (method, path, body) => {
  const id = await createUser();
  const res = await h.call("entra", method, path.replace("ID", id), body);
  expect(res.status).toBeLessThan(500);
  expect(res.body.schemas).toBeDefined();
});

describe("multi-valued attributes hold objects, or the request is 400 invalidValue", () => {
  // Scalars such as 1 or "x" were already refused by the schema coercion; null and arrays were stored.
  const bad = [null, [1]];
  const attributes = ["emails", "phoneNumbers", "addresses", "ims", "entitlements", "x509Certificates"];

  test.each(attributes.flatMap((a) => bad.map((entry) => [a, entry] as const)))(
    "POST with %s: [%j] is refused",
    async (attribute, entry) => {
      const body = { schemas: [CORE], userName: "x@example.org", [attribute]: [{ value: "ok" }, entry] };
      const res = await h.call("okta", "POST", "/Users", body);
      expect(res).toMatchObject({ status: 400, body: scimError(400, "invalidValue") });
    },
  );

  test.each([null, 1, true])(
    "roles and memberships refuse %j entries (strings stay an accepted dialect)",
    async (entry) => {
      for (const [tenant, body] of [
        ["entra", { schemas: [CORE], userName: "r@example.org", roles: [entry] }],
        ["sailpoint", { schemas: [CORE], userName: "g@example.org", groups: [entry] }],
      ] as const) {
        expect((await h.call(tenant, "POST", "/Users", body)).status).toBe(400);
      }
      const group = { schemas: [GROUP], displayName: "G", members: [entry] };
      expect((await h.call("okta", "POST", "/Groups", group)).status).toBe(400);
    },
  );

  test.each(["entra", "okta", "sailpoint", "generic"] as const)(
    "every write of %s refuses emails:[null]",
    async (tenant) => {
      const id = await createUser(tenant);
      const put = await h.call(tenant, "PUT", `/Users/${id}`, {
        schemas: [CORE],
        userName: "ada@example.org",
        emails: [null],
      });
      expect(put).toMatchObject({ status: 400, body: scimError(400, "invalidValue") });
      for (const op of [
        { op: "add", path: "emails", value: [null] },
        { op: "Replace", path: "phoneNumbers", value: [null] },
        { op: "replace", value: { emails: [null] } },
        { op: "add", value: { phoneNumbers: [{ value: "+1", type: "mobile" }, 7] } },
        { op: "add", path: "roles", value: [null] },
      ]) {
        const res = await h.call(tenant, "PATCH", `/Users/${id}`, patch(op));
        expect({ op, status: res.status, body: res.body }).toMatchObject({
          op,
          status: 400,
          body: scimError(400, "invalidValue"),
        });
      }
      const stored = await h.call(tenant, "GET", `/Users/${id}`);
      expect(stored.body.emails).toBeUndefined();
      expect(stored.body.phoneNumbers).toBeUndefined();
    },
  );

  test("bare-string roles (Entra) and members (Okta) are still accepted", async () => {
    const id = await createUser("okta");
    const roles = await h.call(
      "okta",
      "PATCH",
      `/Users/${id}`,
      patch({ op: "add", path: "roles", value: ["Door"] }),
    );
    expect(roles.status).toBe(200);
    const group = await h.call("okta", "POST", "/Groups", {
      schemas: [GROUP],
      displayName: "G",
      members: [id],
    });
    expect(group.status).toBe(201);
  });
});

describe("bounded bodies", () => {
  test("more emails than scim.limits.multiValuedMaxEntries (100) is 400 on POST and PATCH", async () => {
    const emails = Array.from({ length: 101 }, (_, i) => ({ value: `a${i}@example.org` }));
    const post = await h.call("okta", "POST", "/Users", {
      schemas: [CORE],
      userName: "x@example.org",
      emails,
    });
    expect(post).toMatchObject({ status: 400, body: scimError(400, "invalidValue") });
    const id = await createUser("okta");
    const one = await h.call(
      "okta",
      "PATCH",
      `/Users/${id}`,
      patch({ op: "add", path: "emails", value: emails }),
    );
    expect(one.status).toBe(400);
    // Many small adds cannot grow past the limit either.
    const half = (from: number) => emails.slice(from, from + 60);
    expect(
      (await h.call("okta", "PATCH", `/Users/${id}`, patch({ op: "add", path: "emails", value: half(0) })))
        .status,
    ).toBe(200);
    const second = await h.call(
      "okta",
      "PATCH",
      `/Users/${id}`,
      patch({ op: "add", path: "emails", value: half(60) }),
    );
    expect(second).toMatchObject({ status: 400, body: scimError(400, "invalidValue") });
    // …while a deactivation of that user still goes through.
    expect(
      (await h.call("okta", "PATCH", `/Users/${id}`, patch({ op: "replace", path: "active", value: false })))
        .status,
    ).toBe(200);
  });

  test("100 emails are accepted, and adding them again changes nothing (duplicates dropped)", async () => {
    const id = await createUser("okta");
    const emails = Array.from({ length: 100 }, (_, i) => ({ value: `a${i}@example.org` }));
    expect(
      (await h.call("okta", "PATCH", `/Users/${id}`, patch({ op: "add", path: "emails", value: emails })))
        .status,
    ).toBe(200);
    const again = await h.call(
      "okta",
      "PATCH",
      `/Users/${id}`,
      patch({ op: "add", path: "emails", value: emails }),
    );
    expect(again.status).toBe(200);
    expect(again.body.emails).toHaveLength(100);
  });

  test("more PATCH operations than scim.limits.patchMaxOperations (1000) is 400", async () => {
    const id = await createUser();
    const ops = Array.from({ length: 1001 }, () => ({ op: "replace", path: "displayName", value: "A" }));
    const res = await h.call("entra", "PATCH", `/Users/${id}`, patch(...ops));
    expect(res).toMatchObject({ status: 400, body: scimError(400, "invalidValue") });
  });

  test.each([
    ["objects", (n: number) => '{"a":'.repeat(n) + "1" + "}".repeat(n)],
    [
      "arrays",
      (n: number) => `{"schemas":["${CORE}"],"userName":"x@y","emails":${"[".repeat(n)}${"]".repeat(n)}}`,
    ],
  ])("%s nested 10,000 deep are 400 before parsing; 64 levels are still parsed", async (_kind, nest) => {
    const deep = await h.call("entra", "POST", "/Users", nest(10_000));
    expect(deep).toMatchObject({ status: 400, body: scimError(400, "invalidSyntax") });
    expect(String(deep.body.detail)).toMatch(/deeply/);
    const ok = await h.call("entra", "POST", "/Users", nest(62));
    expect(String(ok.body.detail ?? "")).not.toMatch(/deeply/);
    expect(ok.status).toBeLessThan(500);
  });

  test("a string longer than scim.limits.stringMaxLength (65,536) is 400; one at the limit is kept", async () => {
    const long = await h.call("entra", "POST", "/Users", {
      schemas: [CORE],
      userName: "long@example.org",
      displayName: "x".repeat(65_537),
    });
    expect(long).toMatchObject({ status: 400, body: scimError(400, "invalidValue") });
    expect(String(long.body.detail)).toMatch(/stringMaxLength/);
    const atLimit = await h.call("entra", "POST", "/Users", {
      schemas: [CORE],
      userName: "limit@example.org",
      displayName: "x".repeat(65_536),
    });
    expect(atLimit.status).toBe(201);
  });

  test("brackets inside strings do not count towards the depth", async () => {
    const userName = `${"[{".repeat(100)}\\"@example.org`;
    const res = await h.call("entra", "POST", "/Users", { schemas: [CORE], userName });
    expect(res.status).toBe(201);
  });
});

describe("bad input is a 4xx SCIM error, never a 500", () => {
  const raw = (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    fetch(`${h.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${h.tokens.entra}`,
        "content-type": "application/scim+json",
        ...init.headers,
      },
    });

  test("a lone surrogate in userName is 400 invalidValue, and a surrogate pair is fine", async () => {
    const lone = await h.call(
      "entra",
      "POST",
      "/Users",
      `{"schemas":["${CORE}"],"userName":"ada\\ud800@example.org"}`,
    );
    expect(lone).toMatchObject({ status: 400, body: scimError(400, "invalidValue") });
    const pair = await h.call(
      "entra",
      "POST",
      "/Users",
      `{"schemas":["${CORE}"],"userName":"ada\\ud83d\\ude00@example.org"}`,
    );
    expect(pair.status).toBe(201);
  });

  test.each(["/scim/v2/entra/Users/%E0%A4%A", "/scim/v2/entra/Groups/%zz"])(
    "a malformed %% escape in %s is 400 with a token and 401 without, both SCIM errors",
    async (path) => {
      const res = await raw(path);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject(scimError(400, "invalidSyntax"));
      const anonymous = await raw(path, { headers: { authorization: "" } });
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toMatchObject(scimError(401));
    },
  );

  test("a malformed %% escape in the tenant is 400 even without a token", async () => {
    const res = await raw("/scim/v2/%E0%A4%A/Users", { headers: { authorization: "" } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject(scimError(400, "invalidSyntax"));
  });

  test.each(["gzip", "deflate", "br"])("a corrupt %s body is 400 invalidSyntax", async (encoding) => {
    const res = await raw("/scim/v2/entra/Users", {
      method: "POST",
      body: "not compressed at all",
      headers: { "content-encoding": encoding },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject(scimError(400, "invalidSyntax"));
  });

  test("an unknown Content-Encoding is 415 with a SCIM body; a real gzip body is read", async () => {
    const body = JSON.stringify({ schemas: [CORE], userName: "zip@example.org" });
    const unknown = await raw("/scim/v2/entra/Users", {
      method: "POST",
      body,
      headers: { "content-encoding": "x-compress" },
    });
    expect(unknown.status).toBe(415);
    expect(await unknown.json()).toMatchObject(scimError(415));
    const gzip = await raw("/scim/v2/entra/Users", {
      method: "POST",
      body: gzipSync(body),
      headers: { "content-encoding": "gzip" },
    });
    expect(gzip.status).toBe(201);
  });

  test("malformed JSON and a non-UTF-8 charset are SCIM errors", async () => {
    const malformed = await h.call("entra", "POST", "/Users", '{"schemas":');
    expect(malformed).toMatchObject({ status: 400, body: scimError(400, "invalidSyntax") });
    const latin1 = await raw("/scim/v2/entra/Users", {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/scim+json; charset=iso-8859-1" },
    });
    expect(latin1.status).toBe(415);
    expect(await latin1.json()).toMatchObject(scimError(415));
  });
});

test("numeric list parameters far beyond any page are clamped, never answered as null", async () => {
  await createUser("okta");
  const huge = "9".repeat(400);
  const res = await h.call("okta", "GET", `/Users?startIndex=${huge}&count=${huge}`);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ startIndex: MAX_START_INDEX, totalResults: 1, Resources: [] });
  const negative = await h.call("okta", "GET", `/Users?startIndex=-${huge}&count=-${huge}`);
  expect(negative.body).toMatchObject({ startIndex: 1, itemsPerPage: 0 });
});

test("more member values in one PATCH than scim.limits.patchMaxMembers (10,000) is 400", async () => {
  const id = await createUser("okta");
  const group = await h.call("okta", "POST", "/Groups", { schemas: [GROUP], displayName: "Big push" });
  const push = (n: number) =>
    h.call(
      "okta",
      "PATCH",
      `/Groups/${group.body.id}`,
      patch({ op: "replace", path: "members", value: Array.from({ length: n }, () => ({ value: id })) }),
    );
  expect(await push(10_001)).toMatchObject({ status: 400, body: scimError(400, "invalidValue") });
  expect((await push(10_000)).status).toBe(204);
});

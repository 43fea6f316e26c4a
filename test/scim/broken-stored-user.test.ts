// An IdP can always deactivate or delete a user whose STORED data an older version let in and today's
// validation refuses (emails:[null], a string name, accessValidUntil:"soon", a numeric userName): the
// write is validated on what it changes, not on what was already stored (canonical-user-change.ts).
import { RedisDirectoryStore } from "../../src/store/directory-store";
import { KEYBRIDGE_USER_URN, type StoredUser } from "../../src/store/directory-types";
import { startScimHarness, type ScimHarness, type TenantId } from "./scim-harness";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

let h: ScimHarness;
let store: RedisDirectoryStore;
beforeAll(async () => {
  h = await startScimHarness();
  store = new RedisDirectoryStore({ redis: h.redis.client() });
});
afterAll(() => h.stop());
beforeEach(() => h.reset());

type Json = Record<string, unknown>;

const BROKEN: Array<[string, (u: Json) => void]> = [
  [
    "null entries in emails and phoneNumbers",
    (u) => Object.assign(u, { emails: [null], phoneNumbers: [null] }),
  ],
  [
    "non-string values",
    (u) => Object.assign(u, { emails: [{ value: 42, primary: "yes" }, 3], displayName: 7, userName: 9 }),
  ],
  [
    "a name that is not an object",
    (u) => Object.assign(u, { name: "Ada Lovelace", emails: "ada@example.org", phoneNumbers: {} }),
  ],
  [
    "a non-date accessValidUntil",
    (u) => {
      u.schemas = [CORE, KEYBRIDGE_USER_URN];
      u[KEYBRIDGE_USER_URN] = { accessValidUntil: "soon" };
      u.phoneNumbers = [{ value: null }, 12];
    },
  ],
];

/** Creates an active user over SCIM, then breaks its stored form as an older edge would have stored it. */
async function brokenUser(tenant: TenantId, breakIt: (u: Json) => void): Promise<string> {
  const created = await h.call(tenant, "POST", "/Users", {
    schemas: [CORE],
    userName: "ada@example.org",
    name: { givenName: "Ada", familyName: "Lovelace" },
    emails: [{ value: "ada@example.org", primary: true }],
    active: true,
  });
  expect(created.status).toBe(201);
  const id = String(created.body.id);
  await store.updateUser(
    tenant,
    id,
    ({ id: _id, meta: _meta, ...u }) => {
      const broken = structuredClone(u) as Json;
      breakIt(broken);
      return broken as unknown as Omit<StoredUser, "id" | "meta">;
    },
    { correlationId: "older-edge" },
  );
  h.changes.length = 0;
  return id;
}

const deactivatedKinds = (id: string) =>
  h.changes.flatMap((c) => c.persons.filter((p) => p.personId === id).map((p) => p.kind));

type Deactivation = [string, TenantId, (id: string) => Promise<number>];

const DEACTIVATIONS: Deactivation[] = [
  [
    'Entra PATCH Replace active "False"',
    "entra",
    async (id) =>
      (
        await h.call("entra", "PATCH", `/Users/${id}`, {
          schemas: [PATCH],
          Operations: [{ op: "Replace", path: "active", value: "False" }],
        })
      ).status,
  ],
  [
    "Okta PATCH path-less replace {active:false}",
    "okta",
    async (id) =>
      (
        await h.call("okta", "PATCH", `/Users/${id}`, {
          schemas: [PATCH],
          Operations: [{ op: "replace", value: { active: false } }],
        })
      ).status,
  ],
  [
    "generic PATCH replace active false",
    "generic",
    async (id) =>
      (
        await h.call("generic", "PATCH", `/Users/${id}`, {
          schemas: [PATCH],
          Operations: [{ op: "replace", path: "active", value: false }],
        })
      ).status,
  ],
  [
    "Okta PUT echoing its GET with active false",
    "okta",
    async (id) => {
      const got = await h.call("okta", "GET", `/Users/${id}`);
      expect(got.status).toBe(200);
      return (await h.call("okta", "PUT", `/Users/${id}`, { ...got.body, active: false })).status;
    },
  ],
];

describe.each(DEACTIVATIONS)("%s", (_label, tenant, deactivate) => {
  it.each(BROKEN)("deactivates a user whose stored data has %s", async (_shape, breakIt) => {
    const id = await brokenUser(tenant, breakIt);
    const status = await deactivate(id);
    expect(status).toBe(200);
    expect((await store.getUser(tenant, id))?.active).toBe(false);
    expect(deactivatedKinds(id)).toContain("deactivated");
  });
});

it.each(BROKEN)("DELETE removes a user whose stored data has %s", async (_shape, breakIt) => {
  const id = await brokenUser("entra", breakIt);
  expect((await h.call("entra", "DELETE", `/Users/${id}`)).status).toBe(204);
  expect(await store.getUser("entra", id)).toBeNull();
  expect(deactivatedKinds(id)).toContain("deleted");
});

describe("only what the request changes is validated", () => {
  const breakName = (u: Json) => Object.assign(u, { name: "Ada Lovelace" });

  it("keeps the stored parts it did not touch, and applies the rest of the request", async () => {
    const id = await brokenUser("entra", breakName);
    const res = await h.call("entra", "PATCH", `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [
        { op: "Replace", path: "active", value: "False" },
        { op: "Replace", path: "displayName", value: "Ada L." },
      ],
    });
    expect(res.status).toBe(200);
    expect(await store.getUser("entra", id)).toMatchObject({
      active: false,
      displayName: "Ada L.",
      name: "Ada Lovelace",
      userName: "ada@example.org",
    });
  });

  it("still refuses what the request itself gets wrong", async () => {
    const id = await brokenUser("entra", breakName);
    const res = await h.call("entra", "PATCH", `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [
        { op: "Replace", path: "active", value: "False" },
        { op: "Add", path: "phoneNumbers", value: [12] },
      ],
    });
    expect(res.status).toBe(400);
    expect((await store.getUser("entra", id))?.active).toBe(true);
  });

  it("does not deactivate when the request leaves active alone", async () => {
    const id = await brokenUser("okta", breakName);
    const res = await h.call("okta", "PATCH", `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: "replace", value: { displayName: "Ada" } }],
    });
    expect(res.status).toBe(200);
    expect(await store.getUser("okta", id)).toMatchObject({ active: true, displayName: "Ada" });
  });
});

it("a hostile PUT of a broken user pollutes nothing and is no 5xx", async () => {
  const id = await brokenUser("okta", (u) => Object.assign(u, { name: "Ada Lovelace" }));
  const got = await h.call("okta", "GET", `/Users/${id}`);
  const body = `${JSON.stringify({ ...got.body, active: false }).slice(0, -1)},"__proto__":{"polluted":true}}`;
  const res = await h.call("okta", "PUT", `/Users/${id}`, body);
  expect(res.status).toBeLessThan(500);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

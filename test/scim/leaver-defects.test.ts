// Three fuzzer findings that let a leaver keep access, over HTTP against real Redis: a stale member id
// that blocked a removal, an absent `active` read three ways, and impossible calendar dates that rolled
// over into extra days of access.
import { KEYBRIDGE_USER_URN } from "../../src/store/directory-types";
import { startScimHarness, type ScimHarness, type TenantId } from "./scim-harness";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

let h: ScimHarness;
beforeAll(async () => {
  h = await startScimHarness();
});
afterAll(() => h.stop());
beforeEach(() => h.reset());

async function createUser(tenant: TenantId, userName: string, extra: Record<string, unknown> = {}) {
  const res = await h.call(tenant, "POST", "/Users", { schemas: [CORE], userName, active: true, ...extra });
  expect(res.status).toBe(201);
  return String(res.body.id);
}

async function membersOf(tenant: TenantId, groupId: string): Promise<string[]> {
  const res = await h.call(tenant, "GET", `/Groups/${groupId}`);
  expect(res.status).toBe(200);
  return ((res.body.members as { value: string }[] | undefined) ?? []).map((m) => m.value).sort();
}

async function groupOf(tenant: TenantId, members: string[]) {
  const res = await h.call(tenant, "POST", "/Groups", {
    schemas: [GROUP],
    displayName: "Substation North",
    members: members.map((value) => ({ value })),
  });
  expect(res.status).toBe(201);
  return String(res.body.id);
}

async function activeIds(tenant: TenantId, active: boolean): Promise<string[]> {
  const res = await h.call(tenant, "GET", `/Users?filter=${encodeURIComponent(`active eq ${active}`)}`);
  expect(res.status).toBe(200);
  return ((res.body.Resources as { id: string }[] | undefined) ?? []).map((u) => u.id);
}

const personKinds = (id: string) =>
  h.changes.flatMap((c) => c.persons.filter((p) => p.personId === id).map((p) => p.kind));

describe("a stale member id never blocks a removal (RFC 7644 §3.5.1/§3.5.2)", () => {
  async function abcGroup(tenant: TenantId) {
    const [a, b, c] = [
      await createUser(tenant, "a@example.com"),
      await createUser(tenant, "b@example.com"),
      await createUser(tenant, "c@example.com"),
    ];
    const g = await groupOf(tenant, [a, b, c]);
    expect((await h.call(tenant, "DELETE", `/Users/${b}`)).status).toBe(204);
    return { a, b, c, g };
  }

  test("PUT /Groups naming a deleted member removes the member left out and ignores the stale id", async () => {
    const { a, b, c, g } = await abcGroup("okta");
    const res = await h.call("okta", "PUT", `/Groups/${g}`, {
      schemas: [GROUP],
      displayName: "Substation North",
      members: [{ value: a }, { value: b }],
    });
    expect(res.status).toBe(200);
    expect(await membersOf("okta", g)).toEqual([a]);
    // The answer says what the group now holds, not what was asked for.
    expect((res.body.members as { value: string }[]).map((m) => m.value)).toEqual([a]);
    expect(personKinds(c)).toContain("membership");
  });

  test("Okta's PATCH [remove c, add stale b] removes c and answers 204", async () => {
    const { a, b, c, g } = await abcGroup("okta");
    const res = await h.call("okta", "PATCH", `/Groups/${g}`, {
      schemas: [PATCH],
      Operations: [
        { op: "remove", path: `members[value eq "${c}"]` },
        { op: "add", path: "members", value: [{ value: b, display: "b" }] },
      ],
    });
    expect(res.status).toBe(204);
    expect(await membersOf("okta", g)).toEqual([a]);
  });

  test("Okta's full push (replace members) with a stale id removes the rest", async () => {
    const { a, b, g } = await abcGroup("okta");
    const res = await h.call("okta", "PATCH", `/Groups/${g}`, {
      schemas: [PATCH],
      Operations: [{ op: "replace", path: "members", value: [{ value: a }, { value: b }] }],
    });
    expect(res.status).toBe(204);
    expect(await membersOf("okta", g)).toEqual([a]);
  });

  test("an Entra add of only a stale id answers 204 and adds nobody (no retry loop, no quarantine)", async () => {
    const { a, b, c, g } = await abcGroup("entra");
    const res = await h.call("entra", "PATCH", `/Groups/${g}`, {
      schemas: [PATCH],
      Operations: [{ op: "Add", path: "members", value: [{ $ref: null, value: b }] }],
    });
    expect(res.status).toBe(204);
    expect(await membersOf("entra", g)).toEqual([a, c].sort());
  });

  test("POST /Groups with a stale member creates the group with the others", async () => {
    const a = await createUser("okta", "a@example.com");
    const b = await createUser("okta", "b@example.com");
    expect((await h.call("okta", "DELETE", `/Users/${b}`)).status).toBe(204);
    const res = await h.call("okta", "POST", "/Groups", {
      schemas: [GROUP],
      displayName: "Gate 4",
      members: [{ value: a }, { value: b }],
    });
    expect(res.status).toBe(201);
    expect((res.body.members as { value: string }[]).map((m) => m.value)).toEqual([a]);
    expect(await membersOf("okta", String(res.body.id))).toEqual([a]);
  });

  test("SailPoint user PUT whose groups name a deleted group still leaves the group left out", async () => {
    const u = await createUser("sailpoint", "u@example.com");
    const keep = await groupOf("sailpoint", [u]);
    const gone = await (async () => {
      const r = await h.call("sailpoint", "POST", "/Groups", { schemas: [GROUP], displayName: "Old" });
      return String(r.body.id);
    })();
    expect((await h.call("sailpoint", "DELETE", `/Groups/${gone}`)).status).toBe(204);
    const res = await h.call("sailpoint", "PUT", `/Users/${u}`, {
      schemas: [CORE],
      userName: "u@example.com",
      active: true,
      groups: [{ value: gone }],
    });
    expect(res.status).toBe(200);
    expect(await membersOf("sailpoint", keep)).toEqual([]);
  });
});

describe("absent or null `active` means not active, in the pipeline, the audit and the index", () => {
  test("PUT without active after a deactivation is no activation, and the index says inactive", async () => {
    const id = await createUser("okta", "p@example.com");
    const off = await h.call("okta", "PATCH", `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: "replace", value: { active: false } }],
    });
    expect(off.status).toBe(200);
    h.changes.length = 0;
    const put = await h.call("okta", "PUT", `/Users/${id}`, {
      schemas: [CORE],
      userName: "p@example.com",
      title: "Engineer",
    });
    expect(put.status).toBe(200);
    expect(put.body.active).toBe(false);
    expect(personKinds(id)).not.toContain("activated");
    expect(await activeIds("okta", true)).not.toContain(id);
    expect(await activeIds("okta", false)).toContain(id);
  });

  test("PATCH remove active deactivates: audit kind, index and the stored user agree", async () => {
    const id = await createUser("entra", "q@example.com");
    h.changes.length = 0;
    const res = await h.call("entra", "PATCH", `/Users/${id}`, {
      schemas: [PATCH],
      Operations: [{ op: "remove", path: "active" }],
    });
    expect(res.status).toBe(200);
    expect(res.body.active).toBe(false);
    expect(personKinds(id)).toEqual(["deactivated"]);
    expect(await activeIds("entra", true)).not.toContain(id);
    expect(await activeIds("entra", false)).toContain(id);
  });

  test("POST with active null or absent creates an inactive person", async () => {
    const nul = await h.call("okta", "POST", "/Users", {
      schemas: [CORE],
      userName: "n@example.com",
      active: null,
    });
    const abs = await h.call("okta", "POST", "/Users", { schemas: [CORE], userName: "m@example.com" });
    expect([nul.status, abs.status]).toEqual([201, 201]);
    expect([nul.body.active, abs.body.active]).toEqual([false, false]);
    const inactive = await activeIds("okta", false);
    expect(inactive).toEqual(expect.arrayContaining([nul.body.id, abs.body.id]));
    expect(await activeIds("okta", true)).toEqual([]);
  });

  test("a capitalised `Active` key is read like SCIMMY reads it, not as an absent flag", async () => {
    const res = await h.call("okta", "POST", "/Users", {
      schemas: [CORE],
      userName: "k@example.com",
      Active: "True",
    });
    expect([res.status, res.body.active]).toEqual([201, true]);
    const put = await h.call("okta", "PUT", `/Users/${res.body.id}`, {
      schemas: [CORE],
      userName: "k@example.com",
      Active: null,
    });
    expect([put.status, put.body.active]).toEqual([200, false]);
  });

  test("PUT without active on an active person deactivates (PUT replaces, RFC 7644 §3.5.1)", async () => {
    const id = await createUser("okta", "r@example.com");
    h.changes.length = 0;
    const put = await h.call("okta", "PUT", `/Users/${id}`, { schemas: [CORE], userName: "r@example.com" });
    expect(put.status).toBe(200);
    expect(personKinds(id)).toEqual(["deactivated"]);
  });
});

describe("impossible calendar dates are 400 invalidValue, never rolled over", () => {
  const IMPOSSIBLE = [
    "2027-02-30",
    "2027-04-31",
    "2027-06-31T23:59:59+02:00",
    "2027-02-29T00:00:00Z",
    "2027-13-01",
    "2027-00-10",
    "2027-06-30T25:00:00Z",
    "2027-06-30T23:60:00Z",
    "2027/02/30",
  ];

  test.each(IMPOSSIBLE)("POST accessValidUntil %s → 400", async (until) => {
    const res = await h.call("okta", "POST", "/Users", {
      schemas: [CORE, KEYBRIDGE_USER_URN],
      userName: "d@example.com",
      active: true,
      [KEYBRIDGE_USER_URN]: { accessValidUntil: until },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ scimType: "invalidValue", status: "400" });
  });

  test("PUT and PATCH (path, path-less flat URN key, path-less nested) reject 2027-02-30 and keep the old date", async () => {
    const id = await createUser("entra", "e@example.com", {
      [KEYBRIDGE_USER_URN]: { accessValidUntil: "2027-02-28T00:00:00Z" },
    });
    const put = await h.call("entra", "PUT", `/Users/${id}`, {
      schemas: [CORE],
      userName: "e@example.com",
      active: true,
      [KEYBRIDGE_USER_URN]: { accessValidFrom: "2026-02-30T08:00:00Z" },
    });
    const patches = [
      { op: "replace", path: `${KEYBRIDGE_USER_URN}:accessValidUntil`, value: "2027-02-30" },
      { op: "Replace", value: { [`${KEYBRIDGE_USER_URN}:accessValidUntil`]: "2027-04-31" } },
      { op: "add", value: { [KEYBRIDGE_USER_URN]: { accessValidUntil: "2027-06-31T23:59:59+02:00" } } },
    ];
    const answers = [put];
    for (const op of patches)
      answers.push(await h.call("entra", "PATCH", `/Users/${id}`, { schemas: [PATCH], Operations: [op] }));
    expect(answers.map((r) => [r.status, r.body.scimType])).toEqual(answers.map(() => [400, "invalidValue"]));
    const after = await h.call("entra", "GET", `/Users/${id}`);
    expect((after.body[KEYBRIDGE_USER_URN] as Record<string, unknown>).accessValidUntil).toBe(
      "2027-02-28T00:00:00.000Z",
    );
  });

  test("real dates still pass: leap day, month ends, offsets, date-only", async () => {
    for (const [i, until] of [
      "2028-02-29",
      "2027-04-30T23:59:59+02:00",
      "2027-12-31T23:59:59.999Z",
      "2027-06-30",
    ].entries()) {
      const res = await h.call("okta", "POST", "/Users", {
        schemas: [CORE],
        userName: `ok${i}@example.com`,
        active: true,
        [KEYBRIDGE_USER_URN]: { accessValidUntil: until },
      });
      expect([until, res.status]).toEqual([until, 201]);
    }
  });
});

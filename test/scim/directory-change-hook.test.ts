// The seam to provisioning: every committed request that can alter access calls onDirectoryChange
// exactly once with all its PersonChanges (src/store/directory-change.ts); a no-op request does not.
import type { PersonChangeKind } from "../../src/store/directory-change";
import { startScimHarness, type ScimHarness } from "./scim-harness";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

let h: ScimHarness;
beforeAll(async () => {
  h = await startScimHarness();
});
afterAll(async () => h.stop());
beforeEach(async () => h.reset());

async function newUser(userName: string): Promise<string> {
  const res = await h.call("okta", "POST", "/Users", { schemas: [CORE], userName, active: true });
  expect(res.status).toBe(201);
  return String(res.body.id);
}

async function newGroup(displayName: string, members: string[] = []): Promise<string> {
  const res = await h.call("okta", "POST", "/Groups", {
    schemas: [GROUP],
    displayName,
    members: members.map((value) => ({ value })),
  });
  expect(res.status).toBe(201);
  return String(res.body.id);
}

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH], Operations });

/** Runs one request and returns the hook calls it caused, as [person, kind] pairs per call. */
async function hookCallsOf(run: () => Promise<unknown>): Promise<[string, PersonChangeKind][][]> {
  const before = h.changes.length;
  await run();
  return h.changes
    .slice(before)
    .map((c) => c.persons.map((p): [string, PersonChangeKind] => [p.personId, p.kind]));
}

test("create → one call with kind created", async () => {
  const calls = await hookCallsOf(() => newUser("c@example.com"));
  expect(calls).toHaveLength(1);
  expect(calls[0]?.map(([, kind]) => kind)).toEqual(["created"]);
  expect(h.changes[0]).toMatchObject({ tenant: "okta", resourceType: "User", operation: "create" });
});

test("attribute change → one call with kind updated", async () => {
  const id = await newUser("a@example.com");
  const calls = await hookCallsOf(() =>
    h.call("okta", "PATCH", `/Users/${id}`, patch({ op: "replace", path: "title", value: "Fitter" })),
  );
  expect(calls).toEqual([[[id, "updated"]]]);
});

test("active flip → one call with deactivated, then one with activated", async () => {
  const id = await newUser("f@example.com");
  const off = await hookCallsOf(() =>
    h.call("okta", "PATCH", `/Users/${id}`, patch({ op: "replace", value: { active: false } })),
  );
  expect(off).toEqual([[[id, "deactivated"]]]);
  const on = await hookCallsOf(() =>
    h.call("okta", "PUT", `/Users/${id}`, { schemas: [CORE], userName: "f@example.com", active: true }),
  );
  expect(on).toEqual([[[id, "activated"]]]);
});

test("membership add and remove of two people in one PATCH → one call naming both", async () => {
  const a = await newUser("m1@example.com");
  const b = await newUser("m2@example.com");
  const g = await newGroup("G", [a]);
  const calls = await hookCallsOf(() =>
    h.call(
      "okta",
      "PATCH",
      `/Groups/${g}`,
      patch(
        { op: "replace", value: { id: g, displayName: "G" } },
        { op: "remove", path: `members[value eq "${a}"]` },
        { op: "add", path: "members", value: [{ value: b }] },
      ),
    ),
  );
  expect(calls).toHaveLength(1);
  expect(calls[0]?.sort()).toEqual(
    [
      [a, "membership"],
      [b, "membership"],
    ].sort(),
  );
});

test("rename and membership change in one PATCH → still exactly one call", async () => {
  const a = await newUser("r@example.com");
  const g = await newGroup("Before");
  const calls = await hookCallsOf(() =>
    h.call(
      "okta",
      "PATCH",
      `/Groups/${g}`,
      patch(
        { op: "replace", value: { displayName: "After" } },
        { op: "add", path: "members", value: [{ value: a }] },
      ),
    ),
  );
  expect(calls).toHaveLength(1);
  expect(calls[0]?.map(([p]) => p)).toContain(a);
});

test("user delete → one call with deleted", async () => {
  const id = await newUser("d@example.com");
  const calls = await hookCallsOf(() => h.call("okta", "DELETE", `/Users/${id}`));
  expect(calls).toEqual([[[id, "deleted"]]]);
});

test("group delete → one call naming every former member", async () => {
  const a = await newUser("gd1@example.com");
  const b = await newUser("gd2@example.com");
  const g = await newGroup("Gone", [a, b]);
  const calls = await hookCallsOf(() => h.call("okta", "DELETE", `/Groups/${g}`));
  expect(calls).toHaveLength(1);
  expect(calls[0]?.map(([p]) => p).sort()).toEqual([a, b].sort());
  expect(h.changes.at(-1)).toMatchObject({ resourceType: "Group", operation: "delete", resourceId: g });
});

test("SailPoint user PATCH through groups → one call", async () => {
  const u = (await h.call("sailpoint", "POST", "/Users", { schemas: [CORE], userName: "sp@example.com" }))
    .body.id;
  const g = (await h.call("sailpoint", "POST", "/Groups", { schemas: [GROUP], displayName: "SP" })).body.id;
  const calls = await hookCallsOf(() =>
    h.call("sailpoint", "PATCH", `/Users/${u}`, patch({ op: "add", path: "groups", value: [{ value: g }] })),
  );
  expect(calls).toEqual([[[String(u), "membership"]]]);
});

test("no-op requests do not call the hook: same rename, re-adding a member, same attribute value", async () => {
  const a = await newUser("noop@example.com");
  const g = await newGroup("Same", [a]);
  const calls = await hookCallsOf(async () => {
    await h.call(
      "okta",
      "PATCH",
      `/Groups/${g}`,
      patch({ op: "replace", value: { id: g, displayName: "Same" } }),
    );
    await h.call(
      "okta",
      "PATCH",
      `/Groups/${g}`,
      patch({ op: "add", path: "members", value: [{ value: a }] }),
    );
    await h.call("okta", "PATCH", `/Users/${a}`, patch({ op: "replace", path: "active", value: true }));
    await h.call("okta", "GET", `/Users/${a}`);
  });
  expect(calls).toEqual([]);
});

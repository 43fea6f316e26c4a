// The attribute projection (RFC 7644 §3.4.2.5) serves reads from the stored resource: it must pick and
// drop sub-attributes of multi-valued and extension attributes, and never change the stored object.
import fc from "fast-check";
import { projectResource, projectResourceInSlices } from "../../src/scim/project-resource";

const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

function stored(): Record<string, unknown> {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENT],
    id: "u1",
    meta: { resourceType: "User" },
    userName: "ana@example.com",
    name: { givenName: "Ana", familyName: "Lee" },
    emails: [
      { value: "ana@example.com", type: "work", primary: true },
      { value: "ana@home.example", type: "home" },
    ],
    [ENT]: { department: "Ops", manager: { value: "m1" } },
  };
}

test("several sub-attributes of one multi-valued attribute are all kept", () => {
  const out = projectResource(stored(), { attributes: ["emails.value", "EMAILS.TYPE", "name.givenName"] });
  expect(out).toEqual({
    schemas: stored().schemas,
    id: "u1",
    meta: { resourceType: "User" },
    emails: [
      { value: "ana@example.com", type: "work" },
      { value: "ana@home.example", type: "home" },
    ],
    name: { givenName: "Ana" },
  });
});

test("extension attributes are picked by URN-qualified path", () => {
  const out = projectResource(stored(), { attributes: [`${ENT}:department`, "userName"] });
  expect(out).toMatchObject({ userName: "ana@example.com", [ENT]: { department: "Ops" } });
  expect((out[ENT] as Record<string, unknown>).manager).toBeUndefined();
});

test("excluding sub-attributes and extension attributes leaves the stored resource unchanged", () => {
  const resource = stored();
  const before = structuredClone(resource);
  const out = projectResource(resource, {
    excludedAttributes: ["emails.primary", "name.familyName", `${ENT}:manager`, "id", "meta"],
  });
  expect(resource).toEqual(before);
  expect(out).toMatchObject({ id: "u1", meta: { resourceType: "User" }, name: { givenName: "Ana" } });
  expect((out.emails as Record<string, unknown>[])[0]).toEqual({ value: "ana@example.com", type: "work" });
  expect(out[ENT]).toEqual({ department: "Ops" });
});

const group = (n: number) => ({
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
  id: "g1",
  meta: { resourceType: "Group" },
  displayName: "Doors",
  members: Array.from({ length: n }, (_, i) => ({
    value: `id-${i}`,
    ...(i % 3 === 0 ? {} : { display: `User ${i}` }),
    $ref: `https://kb.example/Users/id-${i}`,
    type: "User",
  })),
});

test("the sliced projection (group reads) gives the one-shot projection's answer for any paths", async () => {
  const path = fc.constantFrom(
    "members",
    "members.value",
    "Members.Display",
    "members.$ref",
    "displayName",
    "emails.value",
    "name.givenName",
    `${ENT}:department`,
    ENT,
    "id",
  );
  const resource = fc.constantFrom(group(5), group(0), stored());
  await fc.assert(
    fc.asyncProperty(resource, fc.array(path, { maxLength: 4 }), fc.boolean(), async (r, paths, include) => {
      const projection = include ? { attributes: paths } : { excludedAttributes: paths };
      const before = JSON.stringify(r);
      // fromItems 1: every list goes through the sliced pass.
      expect(await projectResourceInSlices(r, projection, 1)).toEqual(projectResource(r, projection));
      expect(JSON.stringify(r)).toBe(before);
    }),
    { numRuns: 1000 },
  );
});

test("attributes=members.value on a 200,000-member group keeps only the ids", async () => {
  const out = await projectResourceInSlices(group(200_000), { attributes: ["members.value"] });
  const members = out.members as { value: string }[];
  expect(members).toHaveLength(200_000);
  expect(members[199_999]).toEqual({ value: "id-199999" });
  expect(out.displayName).toBeUndefined();
});

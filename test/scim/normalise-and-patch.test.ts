// Pure dialect normalisation and PATCH application: the request shapes of scim-clients.md §2/§5
// turned into canonical operations and applied to a member-less resource.
import { applyPatch } from "../../src/scim/apply-patch";
import { buildMemberDelta, buildMemberDeltaInSlices, targetsList } from "../../src/scim/member-delta";
import { normalisePatch } from "../../src/scim/normalise-patch";
import { normaliseGroupBody, normaliseUserBody } from "../../src/scim/normalise-resource-body";
import { ScimError } from "../../src/scim/scim-error";

const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const KB = "urn:keybridge:params:scim:schemas:extension:access:2.0:User";

const ops = (...Operations: unknown[]) => normalisePatch({ schemas: [PATCH], Operations });
const base = () => ({
  schemas: [CORE],
  userName: "a@example.com",
  active: true,
  name: { givenName: "A", familyName: "B" },
});

describe("normalisePatch", () => {
  test("capitalised ops become lower case; string booleans become booleans", () => {
    expect(ops({ op: "Replace", path: "active", value: "False" })).toMatchObject([
      { op: "replace", value: false },
    ]);
    expect(ops({ op: "REPLACE", path: "active", value: "true" })).toMatchObject([
      { op: "replace", value: true },
    ]);
  });

  test("a path-less value splits into one operation per key, ignoring id", () => {
    const out = ops({
      op: "replace",
      value: { id: "x", "name.givenName": "Z", [`${ENT}:department`]: "Grid", [KB]: { site: "n" } },
    });
    expect(out.map((o) => [o.path.extension, o.path.attribute, o.path.subAttribute, o.value])).toEqual([
      [undefined, "name", "givenName", "Z"],
      [ENT, "department", undefined, "Grid"],
      [KB, "site", undefined, "n"],
    ]);
  });

  test("remove without path is 400 noTarget; an unknown op is 400 invalidSyntax", () => {
    expect(() => ops({ op: "remove" })).toThrow(
      expect.objectContaining({ status: 400, scimType: "noTarget" }),
    );
    expect(() => ops({ op: "merge", path: "title", value: "x" })).toThrow(ScimError);
    expect(() => normalisePatch({ Operations: [] })).toThrow(
      expect.objectContaining({ scimType: "invalidSyntax" }),
    );
  });

  test("manager as a plain string or an array of {$ref,value} becomes {value}", () => {
    expect(ops({ op: "Add", path: `${ENT}:manager`, value: "m1" })[0]?.value).toEqual({ value: "m1" });
    expect(ops({ op: "Add", path: "manager", value: [{ $ref: null, value: "m2" }] })[0]).toMatchObject({
      path: { extension: ENT, attribute: "manager" },
      value: { value: "m2" },
    });
  });
});

describe("applyPatch", () => {
  test("filtered replace on a missing element creates it; on an existing one updates only it", () => {
    const user = { ...base(), emails: [{ type: "home", value: "h@x" }] };
    const out: Record<string, unknown> = applyPatch(
      user,
      ops(
        { op: "Replace", path: 'emails[type eq "work"].value', value: "w@x" },
        { op: "Replace", path: 'emails[type eq "home"].value', value: "h2@x" },
        { op: "Replace", path: 'roles[primary eq "True"].value', value: "Boss" },
      ),
    );
    expect(out.emails).toEqual([
      { type: "home", value: "h2@x" },
      { type: "work", value: "w@x" },
    ]);
    expect(out.roles).toEqual([{ primary: true, value: "Boss" }]);
    expect(user.emails).toEqual([{ type: "home", value: "h@x" }]);
  });

  test("manager[value eq] removes only a matching manager", () => {
    const user = { ...base(), [ENT]: { manager: { value: "m1" }, department: "D" } };
    expect(applyPatch(user, ops({ op: "remove", path: `${ENT}:manager[value eq "other"]` }))[ENT]).toEqual(
      user[ENT],
    );
    expect(applyPatch(user, ops({ op: "remove", path: `${ENT}:manager[value eq "m1"]` }))[ENT]).toEqual({
      department: "D",
    });
  });

  test("replace of a complex attribute keeps unspecified sub-attributes; null removes", () => {
    const out = applyPatch(
      base(),
      ops(
        { op: "replace", path: "name", value: { givenName: "Q" } },
        { op: "replace", path: "title", value: null },
      ),
    );
    expect(out.name).toEqual({ givenName: "Q", familyName: "B" });
    expect(out).not.toHaveProperty("title");
  });

  test("id, meta and schemas cannot be patched", () => {
    const user = { ...base(), id: "keep" };
    expect(applyPatch(user, ops({ op: "replace", path: "id", value: "changed" })).id).toBe("keep");
  });
});

describe("buildMemberDelta", () => {
  const memberOps = (...o: unknown[]) => ops(...o).filter((op) => targetsList(op, "members"));
  test("both removal shapes and add fold into one delta", () => {
    expect(
      buildMemberDelta(
        memberOps(
          { op: "Remove", path: "members", value: [{ value: "a" }] },
          { op: "remove", path: 'members[value eq "b"]' },
          { op: "add", path: "members", value: [{ value: "c" }, "d", { value: "c" }] },
        ),
      ),
    ).toEqual({ add: ["c", "d"], remove: ["a", "b"] });
  });
  test("replace, and remove without value, become a full replacement", () => {
    expect(
      buildMemberDelta(
        memberOps(
          { op: "replace", path: "members", value: [{ value: "x" }] },
          { op: "add", path: "members", value: [{ value: "y" }] },
        ),
      ),
    ).toEqual({ replaceAll: ["x", "y"] });
    expect(buildMemberDelta(memberOps({ op: "remove", path: "members" }))).toEqual({ replaceAll: [] });
  });
  test("a later op on the same member wins", () => {
    expect(
      buildMemberDelta(
        memberOps(
          { op: "add", path: "members", value: [{ value: "a" }] },
          { op: "remove", path: 'members[value eq "a"]' },
        ),
      ),
    ).toEqual({ remove: ["a"] });
  });
  test("the sliced fold (group PATCH) gives the same delta and the same refusal", async () => {
    const many = memberOps(
      { op: "add", path: "members", value: Array.from({ length: 500 }, (_, i) => ({ value: `m${i}` })) },
      ...Array.from({ length: 1000 }, (_, i) => ({ op: "remove", path: `members[value eq "m${i % 700}"]` })),
      { op: "add", path: "members", value: [{ value: "m3" }] },
    );
    expect(await buildMemberDeltaInSlices(many)).toEqual(buildMemberDelta(many));
    const replaced = memberOps(
      { op: "replace", path: "members", value: ["x"] },
      { op: "remove", path: 'members[value eq "x"]' },
    );
    expect(await buildMemberDeltaInSlices(replaced)).toEqual({ replaceAll: [] });
    const bad = memberOps({ op: "remove", path: 'members[display eq "x"]' });
    await expect(buildMemberDeltaInSlices(bad)).rejects.toThrow(/value eq/);
    expect(() => buildMemberDelta(bad)).toThrow(/value eq/);
  });
});

describe("POST/PUT bodies", () => {
  test("user: string booleans, flat URN keys, roles JSON strings, groups split off, password and unknown keys dropped", () => {
    const { user, groups } = normaliseUserBody({
      schemas: [CORE],
      userName: "u@x",
      active: "True",
      password: "secret",
      customThing: 1,
      groups: [{ value: "g1" }, "g2"],
      [`${ENT}:employeeNumber`]: "42",
      roles: [{ value: '{"id":"1","value":"Admin","displayName":"Admins"}', primary: "false" }],
    });
    expect(user).toMatchObject({
      active: true,
      [ENT]: { employeeNumber: "42" },
      roles: [{ value: "Admin", primary: false }],
    });
    expect(user).not.toHaveProperty("password");
    expect(user).not.toHaveProperty("customThing");
    expect(user.schemas).toContain(ENT);
    expect(groups).toEqual(["g1", "g2"]);
  });

  test("group: members split off, deduplicated, bare strings accepted; lower-case member type allowed", async () => {
    const { group, members } = await normaliseGroupBody({
      displayName: "G",
      members: ["a", { value: "a", type: "user" }, { value: "b" }],
    });
    expect(group).toMatchObject({ displayName: "G" });
    expect(group).not.toHaveProperty("members");
    expect(members).toEqual(["a", "b"]);
  });

  test("a user without userName is 400 invalidValue", () => {
    expect(() => normaliseUserBody({ schemas: [CORE] })).toThrow(
      expect.objectContaining({ status: 400, scimType: "invalidValue" }),
    );
  });
});

// Building what a key system is told about a person is total: stored data an older edge let in (null
// entries, non-string values, a bad date, a name that is not an object) yields a usable HolderSpec.
import { toHolderSpec } from "../../src/access/holder-spec";
import { KEYBRIDGE_USER_URN, type StoredUser } from "../../src/store/directory-types";

const base = {
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
  id: "u1",
  userName: "ada@example.org",
  active: true,
  meta: { resourceType: "User", created: "", lastModified: "", version: 'W/"1"' },
};
const user = (extra: Record<string, unknown>) => ({ ...base, ...extra }) as unknown as StoredUser;

it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
  [
    "null entries",
    { emails: [null], phoneNumbers: [null, { value: "+4915100000" }] },
    { phone: "+4915100000" },
  ],
  ["non-object entries", { emails: ["x", 3], phoneNumbers: "+49" }, {}],
  [
    "non-string values",
    { emails: [{ value: 42, primary: true }, { value: "b@x.org" }] },
    { email: "b@x.org" },
  ],
  [
    "a name that is not an object",
    { name: "Ada Lovelace", displayName: 7 },
    { displayName: "ada@example.org" },
  ],
  ["a non-date accessValidUntil", { [KEYBRIDGE_USER_URN]: { accessValidUntil: "soon" } }, {}],
  ["an extension that is not an object", { [KEYBRIDGE_USER_URN]: null }, {}],
])("never throws on %s", (_label, extra, expected) => {
  const spec = toHolderSpec(user(extra), "ext-1");
  expect(spec).toEqual({ externalId: "ext-1", displayName: "ada@example.org", ...expected });
});

it("keeps the primary entry and a valid end date", () => {
  const spec = toHolderSpec(
    user({
      name: { givenName: "Ada", familyName: "Lovelace" },
      emails: [{ value: "a@x.org" }, { value: "p@x.org", primary: true }],
      [KEYBRIDGE_USER_URN]: { accessValidUntil: "2027-06-30T16:00:00Z" },
    }),
    "ext-1",
  );
  expect(spec).toEqual({
    externalId: "ext-1",
    displayName: "ada@example.org",
    firstName: "Ada",
    lastName: "Lovelace",
    email: "p@x.org",
    employmentEnd: "2027-06-30T16:00:00.000Z",
  });
});

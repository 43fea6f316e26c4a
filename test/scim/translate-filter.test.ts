// Filter translation (RFC 7644 §3.4.2.2 → the store's indexed DNF): what each IdP sends is
// translated; everything else is 400 invalidFilter rather than a scan.
import { translateFilter } from "../../src/scim/translate-filter";

const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

test.each([
  ['userName eq "A@x"', [[{ attr: "userName", op: "eq", value: "A@x" }]]],
  ['externalId eq "e1"', [[{ attr: "externalId", op: "eq", value: "e1" }]]],
  ['emails[type eq "work"].value eq "w@x"', [[{ attr: "emails.work.value", op: "eq", value: "w@x" }]]],
  ['emails.value eq "w@x"', [[{ attr: "emails.value", op: "eq", value: "w@x" }]]],
  [
    `id eq "u" and ${ENT}:manager eq "m"`,
    [
      [
        { attr: "id", op: "eq", value: "u" },
        { attr: "manager", op: "eq", value: "m" },
      ],
    ],
  ],
  ['manager.value eq "m"', [[{ attr: "manager", op: "eq", value: "m" }]]],
  [
    'userName sw "ops." or displayName co "x"',
    [[{ attr: "userName", op: "sw", value: "ops." }], [{ attr: "displayName", op: "co", value: "x" }]],
  ],
  [
    'meta.lastModified gt "2026-01-01T00:00:00Z"',
    [[{ attr: "meta.lastModified", op: "gt", value: "2026-01-01T00:00:00.000Z" }]],
  ],
  ['active eq "False"', [[{ attr: "active", op: "eq", value: false }]]],
])("User filter %s", (filter, expected) => {
  expect(translateFilter("User", filter)).toEqual(expected);
});

test("Group membership check: members eq and id eq", () => {
  expect(translateFilter("Group", 'id eq "g" and members eq "u"')).toEqual([
    [
      { attr: "id", op: "eq", value: "g" },
      { attr: "members", op: "eq", value: "u" },
    ],
  ]);
});

test("no filter is null", () => {
  expect(translateFilter("User", undefined)).toBeNull();
  expect(translateFilter("User", "  ")).toBeNull();
});

test.each([
  ["User", 'meta.lastModified gt "yesterday"'],
  ["User", 'meta.created gt "yesterday"'],
  ["User", "active gt true"],
  ["User", 'meta.created co "2026"'],
  ["Group", 'members.display eq "x"'],
  ["User", 'members eq "x"'],
  ["Group", 'userName eq "x"'],
  ["Group", 'manager eq "x"'],
  ["User", "userName"],
  ["User", 'userName eq "a" and'],
] as const)("%s filter %s → 400 invalidFilter", (kind, filter) => {
  expect(() => translateFilter(kind, filter)).toThrow(
    expect.objectContaining({ status: 400, scimType: "invalidFilter" }),
  );
});

const scan = (path: string[], op: string, value: unknown, extra: Record<string, unknown> = {}) => ({
  attr: "scan",
  path,
  op,
  ...(value === undefined ? {} : { value }),
  negated: false,
  compare: "string",
  ...extra,
});

test.each([
  ['title eq "x"', [[scan(["title"], "eq", "x")]]],
  ['userName ne "x"', [[scan(["userName"], "ne", "x")]]],
  ['externalId sw "x"', [[scan(["externalId"], "sw", "x", { compare: "caseExact" })]]],
  [
    'meta.lastModified lt "2026-01-01T00:00:00Z"',
    [[{ attr: "meta.lastModified", op: "lt", value: "2026-01-01T00:00:00.000Z" }]],
  ],
  [
    'meta.created ge "2026-01-01T00:00:00Z"',
    [[scan(["meta", "created"], "ge", "2026-01-01T00:00:00Z", { compare: "dateTime" })]],
  ],
  [
    'emails[type eq "home"].value eq "x"',
    [[scan(["emails", "type"], "eq", "home"), scan(["emails", "value"], "eq", "x")]],
  ],
  ['not (userName eq "x")', [[scan(["userName"], "eq", "x", { negated: true })]]],
  [
    'title pr and active eq "True"',
    [[scan(["title"], "pr", undefined), { attr: "active", op: "eq", value: true }]],
  ],
  [`${ENT}:department eq "Ops"`, [[scan([ENT, "department"], "eq", "Ops")]]],
  [
    'urn:keybridge:params:scim:schemas:extension:access:2.0:User:accessValidUntil lt "2027-01-01T00:00:00Z"',
    [
      [
        scan(
          ["urn:keybridge:params:scim:schemas:extension:access:2.0:User", "accessValidUntil"],
          "lt",
          "2027-01-01T00:00:00Z",
          { compare: "dateTime" },
        ),
      ],
    ],
  ],
])("User filter %s → scan terms where no index answers (issue 10 item 10)", (filter, expected) => {
  expect(translateFilter("User", filter)).toEqual(expected);
});

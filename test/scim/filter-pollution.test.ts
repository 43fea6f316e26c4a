// Canary: no attribute path from a request reaches process-wide state (issue 9 item 1). SCIMMY 1.3.5
// builds nested objects from filter paths, so `__proto__.x eq "1"` once wrote onto Object.prototype
// and broke every tenant. Each request kind below must answer 400 and leave Object.prototype clean,
// and another tenant's next request must still be served in full.
import { startScimHarness, type ScimHarness } from "./scim-harness";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const CANARIES = ["authorization", "attributes", "polluted", "x", "userName", "active"];

let h: ScimHarness;
let userId = "";
let groupId = "";
let oktaUserId = "";

beforeAll(async () => {
  h = await startScimHarness();
  const user = await h.call("entra", "POST", "/Users", {
    schemas: [CORE],
    userName: "canary@example.com",
    active: true,
    emails: [{ value: "canary@example.com", type: "work" }],
  });
  userId = String(user.body.id);
  const group = await h.call("entra", "POST", "/Groups", { schemas: [GROUP], displayName: "Canaries" });
  groupId = String(group.body.id);
  const other = await h.call("okta", "POST", "/Users", {
    schemas: [CORE],
    userName: "bystander@example.com",
    active: true,
  });
  oktaUserId = String(other.body.id);
});
afterAll(async () => h.stop());

function assertPrototypeClean(): void {
  const proto = Object.prototype as Record<string, unknown>;
  for (const key of CANARIES) expect(Object.hasOwn(proto, key)).toBe(false);
  expect(({} as Record<string, unknown>).authorization).toBeUndefined();
}

async function assertOtherTenantServed(): Promise<void> {
  const res = await h.call("okta", "GET", `/Users/${oktaUserId}`);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ userName: "bystander@example.com", active: true });
  const list = await h.call(
    "okta",
    "GET",
    `/Users?filter=${encodeURIComponent('userName eq "bystander@example.com"')}`,
  );
  expect(list.status).toBe(200);
  expect(list.body).toMatchObject({ totalResults: 1, Resources: [{ userName: "bystander@example.com" }] });
}

const q = encodeURIComponent;
const FILTERS = [
  '__proto__.authorization eq "x"',
  '__proto__.attributes eq "id"',
  'constructor.prototype.polluted eq "x"',
  'Constructor.Prototype.polluted eq "x"',
  '__PROTO__.x eq "1"',
  'userName eq "a" or __proto__.x eq "1"',
  'emails[__proto__.x eq "1"]',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:__proto__.x eq "1"',
  'toString.x eq "1"',
];

describe.each(FILTERS)("filter %s", (filter) => {
  test.each([
    ["GET /Users", () => h.call("entra", "GET", `/Users?filter=${q(filter)}`)],
    ["GET /Groups", () => h.call("entra", "GET", `/Groups?filter=${q(filter)}`)],
    ["POST /.search", () => h.call("entra", "POST", "/.search", { filter })],
    ["POST /Users/.search", () => h.call("entra", "POST", "/Users/.search", { filter })],
    ["POST /Groups/.search", () => h.call("entra", "POST", "/Groups/.search", { filter })],
  ])("%s answers 400 invalidFilter and pollutes nothing", async (_kind, send) => {
    const res = await send();
    expect(res.status).toBe(400);
    expect(res.body.scimType).toBe("invalidFilter");
    assertPrototypeClean();
    await assertOtherTenantServed();
  });
});

test.each([
  ["user value filter", "Users", () => userId, 'emails[__proto__.x eq "1"].value'],
  [
    "user value filter via constructor",
    "Users",
    () => userId,
    'emails[constructor.prototype.x eq "1"].value',
  ],
  ["group member filter", "Groups", () => groupId, 'members[__proto__.x eq "1"]'],
  ["group member filter via constructor", "Groups", () => groupId, 'members[constructor.prototype.x eq "1"]'],
])("PATCH %s is 400 and pollutes nothing", async (_kind, type, id, path) => {
  const res = await h.call("entra", "PATCH", `/${type}/${id()}`, {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    Operations: [{ op: "remove", path }],
  });
  expect(res.status).toBe(400);
  expect(["invalidFilter", "invalidPath"]).toContain(res.body.scimType);
  assertPrototypeClean();
  await assertOtherTenantServed();
});

test.each([
  ["attributes", "__proto__.x"],
  ["attributes", "constructor.prototype"],
  ["excludedAttributes", "__proto__"],
  ["excludedAttributes", "emails.constructor"],
  ["sortBy", "__proto__.x"],
])("%s=%s is 400 invalidValue on lists, reads and searches", async (param, value) => {
  for (const res of [
    await h.call("entra", "GET", `/Users?${param}=${q(value)}`),
    await h.call("entra", "GET", `/Users/${userId}?${param}=${q(value)}`),
    await h.call("entra", "GET", `/Groups?${param}=${q(value)}`),
    await h.call("entra", "POST", "/.search", { [param]: param === "sortBy" ? value : [value] }),
  ]) {
    expect(res.status).toBe(400);
    expect(res.body.scimType).toBe("invalidValue");
  }
  assertPrototypeClean();
  await assertOtherTenantServed();
});

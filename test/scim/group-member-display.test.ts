// Group answers name each member: `members[].display` is the user's displayName, else userName
// (RFC 7643 §4.2; Microsoft's SCIM reference collection checks it), kept current by user writes.
import { Redis } from "ioredis";
import { redisKeys } from "../../src/store/redis-keys";
import { startScimHarness, type ScimHarness } from "./scim-harness";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

let h: ScimHarness;
let raw: Redis;
beforeAll(async () => {
  h = await startScimHarness();
  raw = new Redis(h.redis.url);
});
afterAll(async () => {
  raw.disconnect();
  await h.stop();
});
beforeEach(async () => h.reset());

async function newUser(userName: string, displayName?: string): Promise<string> {
  const res = await h.call("entra", "POST", "/Users", {
    schemas: [CORE],
    userName,
    ...(displayName === undefined ? {} : { displayName }),
    active: true,
  });
  expect(res.status).toBe(201);
  return String(res.body.id);
}

async function newGroup(displayName: string, members: string[]): Promise<string> {
  const res = await h.call("entra", "POST", "/Groups", {
    schemas: [GROUP],
    displayName,
    members: members.map((value) => ({ value })),
  });
  expect(res.status).toBe(201);
  return String(res.body.id);
}

type Member = { value: string; display?: string };
const byValue = (members: unknown) =>
  Object.fromEntries((members as Member[]).map((m) => [m.value, m.display]));

it("GET /Groups/{id} names each member by displayName, else userName", async () => {
  const ann = await newUser("ann@example.com", "Ann Andersson");
  const bob = await newUser("bob@example.com");
  const gid = await newGroup("Staff", [ann, bob]);

  const res = await h.call("entra", "GET", `/Groups/${gid}`);
  expect(res.status).toBe(200);
  expect(byValue(res.body.members)).toEqual({ [ann]: "Ann Andersson", [bob]: "bob@example.com" });
  const annRef = (res.body.members as Member[]).find((m) => m.value === ann);
  expect(annRef).toMatchObject({ $ref: `${h.url}/scim/v2/entra/Users/${ann}`, type: "User" });

  const list = await h.call("entra", "GET", `/Groups?filter=${encodeURIComponent('displayName eq "Staff"')}`);
  const listed = (list.body.Resources as { members: unknown }[])[0];
  expect(byValue(listed?.members)).toEqual({ [ann]: "Ann Andersson", [bob]: "bob@example.com" });
});

it("the POST answer names the members it holds", async () => {
  const ann = await newUser("ann@example.com", "Ann Andersson");
  const res = await h.call("entra", "POST", "/Groups", {
    schemas: [GROUP],
    displayName: "Staff",
    members: [{ value: ann }],
  });
  expect(byValue(res.body.members)).toEqual({ [ann]: "Ann Andersson" });
});

it("renaming the user (PATCH, PUT) changes the display the group answer shows", async () => {
  const ann = await newUser("ann@example.com", "Ann Andersson");
  const gid = await newGroup("Staff", [ann]);

  const patched = await h.call("entra", "PATCH", `/Users/${ann}`, {
    schemas: [PATCH],
    Operations: [{ op: "replace", path: "displayName", value: "Ann Berg" }],
  });
  expect(patched.status).toBe(200);
  expect(byValue((await h.call("entra", "GET", `/Groups/${gid}`)).body.members)).toEqual({
    [ann]: "Ann Berg",
  });

  // A PUT without displayName falls back to the userName.
  const put = await h.call("entra", "PUT", `/Users/${ann}`, {
    schemas: [CORE],
    userName: "ann.berg@example.com",
    active: true,
  });
  expect(put.status).toBe(200);
  expect(byValue((await h.call("entra", "GET", `/Groups/${gid}`)).body.members)).toEqual({
    [ann]: "ann.berg@example.com",
  });
});

it("deleting the user removes their display entry", async () => {
  const ann = await newUser("ann@example.com", "Ann Andersson");
  const bob = await newUser("bob@example.com", "Bob Berg");
  const gid = await newGroup("Staff", [ann, bob]);
  expect(await raw.hget(redisKeys.userDisplays("entra"), ann)).toBe("Ann Andersson");

  expect((await h.call("entra", "DELETE", `/Users/${ann}`)).status).toBe(204);
  expect(await raw.hget(redisKeys.userDisplays("entra"), ann)).toBeNull();
  expect(byValue((await h.call("entra", "GET", `/Groups/${gid}`)).body.members)).toEqual({
    [bob]: "Bob Berg",
  });
});

it("a member stored before displays were kept is listed without display", async () => {
  const ann = await newUser("ann@example.com", "Ann Andersson");
  const gid = await newGroup("Staff", [ann]);
  await raw.hdel(redisKeys.userDisplays("entra"), ann);

  const members = (await h.call("entra", "GET", `/Groups/${gid}`)).body.members as Member[];
  expect(members).toEqual([{ value: ann, $ref: `${h.url}/scim/v2/entra/Users/${ann}`, type: "User" }]);
});

it("excludedAttributes=members reads neither the members nor their displays", async () => {
  const ann = await newUser("ann@example.com", "Ann Andersson");
  const gid = await newGroup("Staff", [ann]);
  const touched: string[] = [];
  const monitor = await raw.monitor();
  monitor.on("monitor", (_time: string, args: string[]) => touched.push(args.join(" ")));
  const withMembers = await h.call("entra", "GET", `/Groups/${gid}`);
  const res = await h.call("entra", "GET", `/Groups/${gid}?excludedAttributes=members`);
  // MONITOR reports asynchronously: wait until a marker sent after both requests has come through.
  await raw.echo("monitor-end");
  while (!touched.some((c) => c.includes("monitor-end"))) await new Promise((r) => setTimeout(r, 5));
  monitor.disconnect();
  expect(withMembers.body.members).toHaveLength(1);
  expect(res.status).toBe(200);
  expect(res.body.members).toBeUndefined();
  const reads = (key: string) => touched.filter((c) => c.includes(key)).length;
  // The plain GET read both (proving the monitor saw it); the excluding GET added neither.
  expect(reads(redisKeys.userDisplays("entra"))).toBe(1);
  expect(reads(redisKeys.groupMembers("entra", gid))).toBe(1);
});

it("a tenant's displays stay in the tenant's cluster slot and are not seen by another tenant", async () => {
  expect(redisKeys.userDisplays("entra").startsWith("{kb:entra}:")).toBe(true);
  const ann = await newUser("ann@example.com", "Ann Andersson");
  expect(await raw.hlen(redisKeys.userDisplays("okta"))).toBe(0);
  expect(await raw.hget(redisKeys.userDisplays("entra"), ann)).toBe("Ann Andersson");
});

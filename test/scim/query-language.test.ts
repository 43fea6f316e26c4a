// The rest of the SCIM query language (issue 10 item 10; RFC 7644 §3.4.2.2) over HTTP on real Redis:
// `or`, `not`, nested parentheses, gt/ge/lt/le on meta.created, meta.lastModified and other dates, and
// unindexed attributes, answered from the indexes where one exists and otherwise by a scan bounded by
// scim.limits.filterScanMax (here 4), beyond which the client is told to narrow the filter.
import { startScimHarness, type ScimHarness } from "./scim-harness";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const KB = "urn:keybridge:params:scim:schemas:extension:access:2.0:User";
const q = encodeURIComponent;

let h: ScimHarness;
const created: Record<string, { id: string; created: string; lastModified: string }> = {};

async function user(name: string, extra: Record<string, unknown>): Promise<void> {
  const res = await h.call("generic", "POST", "/Users", { schemas: [CORE], userName: name, ...extra });
  expect(res.status).toBe(201);
  const meta = res.body.meta as { created: string; lastModified: string };
  created[name] = { id: String(res.body.id), created: meta.created, lastModified: meta.lastModified };
  await new Promise((r) => setTimeout(r, 5)); // distinct meta.created instants
}

beforeAll(async () => {
  h = await startScimHarness({ limits: { filterScanMax: 4 } });
  await user("ana", { title: "Engineer", active: true, [ENT]: { department: "Ops" } });
  await user("bo", { title: "Boss", active: true, [KB]: { accessValidUntil: "2027-06-30T00:00:00Z" } });
  await user("cy", { title: "Engineer", active: false, [ENT]: { department: "Security" } });
  await user("dee", { active: true });
});
afterAll(async () => h.stop());

async function names(filter: string): Promise<string[]> {
  const res = await h.call("generic", "GET", `/Users?filter=${q(filter)}`);
  expect(res.status).toBe(200);
  const list = (res.body.Resources as { userName: string }[]).map((r) => r.userName).sort();
  expect(res.body.totalResults).toBe(list.length);
  return list;
}

test("or across indexed attributes", async () => {
  expect(await names('userName eq "ana" or userName eq "cy"')).toEqual(["ana", "cy"]);
});

test("nested parentheses (SCIMMY 1.3.5 rejects them)", async () => {
  const filter = 'active eq true and (userName eq "dee" or (title eq "Boss" and userName sw "b"))';
  expect(await names(filter)).toEqual(["bo", "dee"]);
});

test("not, on indexed and unindexed attributes", async () => {
  expect(await names('not (userName eq "ana")')).toEqual(["bo", "cy", "dee"]);
  expect(await names('not (title eq "Engineer" or userName eq "dee")')).toEqual(["bo"]);
  expect(await names("active eq true and not (title pr)")).toEqual(["dee"]);
});

test("unindexed attributes and operators: title, ne, ew, extension attributes", async () => {
  expect(await names('title eq "engineer"')).toEqual(["ana", "cy"]);
  expect(await names('userName ne "ana" and title pr')).toEqual(["bo", "cy"]);
  expect(await names('userName ew "y"')).toEqual(["cy"]);
  expect(await names(`${ENT}:department eq "Security"`)).toEqual(["cy"]);
});

test("gt/ge/lt/le on meta.created and meta.lastModified", async () => {
  const { ana, dee } = created as Record<string, { created: string; lastModified: string }>;
  expect(await names(`meta.created gt "${ana?.created}"`)).toEqual(["bo", "cy", "dee"]);
  expect(await names(`meta.created le "${ana?.created}"`)).toEqual(["ana"]);
  expect(await names(`meta.created lt "${dee?.created}" and meta.created ge "${ana?.created}"`)).toEqual([
    "ana",
    "bo",
    "cy",
  ]);
  expect(await names(`meta.lastModified lt "${dee?.lastModified}"`)).toEqual(["ana", "bo", "cy"]);
  expect(await names(`meta.lastModified le "${dee?.lastModified}"`)).toEqual(["ana", "bo", "cy", "dee"]);
});

test("date comparison on an extension dateTime", async () => {
  expect(await names(`${KB}:accessValidUntil lt "2027-07-01T00:00:00Z"`)).toEqual(["bo"]);
  expect(await names(`${KB}:accessValidUntil gt "2027-07-01T00:00:00Z"`)).toEqual([]);
});

test("an unindexed filter over more resources than filterScanMax is 400 asking to narrow it", async () => {
  await user("eve", { title: "Engineer", active: true });
  const res = await h.call("generic", "GET", `/Users?filter=${q('title eq "Engineer"')}`);
  expect(res.status).toBe(400);
  expect(res.body.detail).toMatch(/scan limit/);
  // An indexed term of the same branch narrows it: answered again, unless it leaves too many to check.
  expect(await names('userName sw "e" and title eq "Engineer"')).toEqual(["eve"]);
  await user("ed", { title: "Engineer", active: true });
  const broad = await h.call(
    "generic",
    "GET",
    `/Users?filter=${q('active eq true and title eq "Engineer"')}`,
  );
  expect(broad.status).toBe(400);
  expect(broad.body.detail).toMatch(/scan limit/);
});

test("comparisons RFC 7644 §3.4.2.2 rules out stay 400 invalidFilter", async () => {
  for (const filter of ["active gt true", 'meta.created co "2026"', 'meta.created gt "soon"']) {
    const res = await h.call("generic", "GET", `/Users?filter=${q(filter)}`);
    expect(res.status).toBe(400);
    expect(res.body.scimType).toBe("invalidFilter");
  }
});

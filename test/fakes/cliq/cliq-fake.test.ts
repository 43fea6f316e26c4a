// The CLIQ fake behaves as key-systems.md §1.2–1.3 and §6.2 describe, driven through its HTTP control plane:
// doors decide from the programmed state, blocklists and revalidation bound a lost key, uploads arrive late.
import { type CliqFake, startCliqFake } from "./cliq-fake-server";

let fake: CliqFake;
beforeEach(async () => {
  fake = await startCliqFake({ tls: false });
});
afterEach(() => fake.stop());

async function call(method: string, url: string, body?: unknown) {
  const res = await fetch(url, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
const api = (method: string, path: string, body?: unknown) => call(method, `${fake.baseUrl}/${path}`, body);
const control = (method: string, path: string, body?: unknown) =>
  call(method, `${fake.origin}/__fake/${path}`, body);
const used = async (keyId: string, cylinderId: string, at?: string) =>
  (await control("POST", "keyUsed", { keyId, cylinderId, at })).body.granted;

/** A person with key-d1 handed out (Office profile: cyl-1, cyl-2) and programmed at a PD. */
async function handedOut(accessProfileIds = ["ap-office"], extra: Record<string, unknown> = {}) {
  const person = await api("POST", "persons", { firstName: "A", lastName: "B", domainIds: ["dom-1"] });
  const out = await api("POST", "keys/key-d1/hand-out", {
    personId: person.body.id,
    validity: { mode: "always" },
    accessProfileIds,
    ...extra,
  });
  expect(out.status).toBe(200);
  await control("POST", "keyInsertedInRemotePD", { keyId: "key-d1" });
  return String(person.body.id);
}

test("a door opens only for what the key carries as programmed, not what CWM plans", async () => {
  await handedOut();
  expect(await used("key-d1", "cyl-1")).toBe(true);
  expect(await used("key-d1", "cyl-3")).toBe(false);
  await api("PUT", "keys/key-d1/access", { accessProfileIds: ["ap-lab"], validity: { mode: "always" } });
  expect(await used("key-d1", "cyl-3")).toBe(false); // remote update still pending
  await control("POST", "keyInsertedInRemotePD", { keyId: "key-d1" });
  expect(await used("key-d1", "cyl-3")).toBe(true);
  expect(await used("key-d1", "cyl-1")).toBe(false);
});

test("a lost key opens doors until the cylinder is programmed, and no longer after", async () => {
  await handedOut();
  const lost = await api("POST", "keys/key-d1/report-lost", { reason: "stolen" });
  expect(lost.status).toBe(200);
  expect((lost.body.jobs as unknown[]).length).toBe(2); // cyl-1 and cyl-2
  expect(lost.body.exposureUntil).toBeTruthy();
  expect(await used("key-d1", "cyl-1")).toBe(true);
  await control("POST", "cylinderProgrammed", { cylinderId: "cyl-1" });
  expect(await used("key-d1", "cyl-1")).toBe(false);
  expect(await used("key-d1", "cyl-2")).toBe(true);
  const pending = await api("GET", "jobs?keyId=key-d1&state=pending");
  expect((pending.body.items as unknown[]).length).toBe(1);
});

test("revalidation lapses: the key stops working after its interval without a PD visit", async () => {
  await handedOut(["ap-office"], { revalidation: { enabled: true, intervalDays: 2 } });
  expect(await used("key-d1", "cyl-1")).toBe(true);
  await control("POST", "advanceClock", { ms: 3 * 86_400_000 });
  expect(await used("key-d1", "cyl-1")).toBe(false);
});

test("schedule and group membership decide access (profile via cylinder group)", async () => {
  await handedOut(["ap-plant"], { scheduleId: "sch-office-hours" });
  expect(await used("key-d1", "cyl-5", "2026-03-02T10:00:00.000Z")).toBe(true); // Monday 10:00
  expect(await used("key-d1", "cyl-5", "2026-03-01T10:00:00.000Z")).toBe(false); // Sunday
  expect(await used("key-d1", "cyl-1", "2026-03-02T10:00:00.000Z")).toBe(false);
});

test("key events are uploaded at the next PD visit with their old occurredAt, after the cursor", async () => {
  await handedOut();
  const before = await api("GET", "events?after=0");
  const cursor = before.body.lastSeq as number;
  await used("key-d1", "cyl-1", "2026-01-05T08:00:00.000Z");
  expect((await api("GET", `events?after=${cursor}`)).body.items).toEqual([]);
  await control("POST", "keyInsertedInRemotePD", { keyId: "key-d1" });
  const late = (await api("GET", `events?after=${cursor}&limit=10`)).body.items as Array<
    Record<string, unknown>
  >;
  expect(late).toEqual([
    expect.objectContaining({
      kind: "access_granted",
      occurredAt: "2026-01-05T08:00:00.000Z",
      source: "key_upload",
    }),
  ]);
});

test("procedure errors: 409 not in stock, 422 domain and capacity, 403 role, 404, {code, message}", async () => {
  const personId = await handedOut();
  const again = await api("POST", "keys/key-d1/hand-out", { personId, validity: { mode: "always" } });
  expect(again).toEqual({ status: 409, body: { code: "key_not_in_stock", message: expect.any(String) } });
  const foreign = await api("POST", "keys/key-d2/hand-out", {
    personId,
    validity: { mode: "always" },
    accessProfileIds: ["ap-remote-site"],
  });
  expect(foreign.status).toBe(422);
  expect(foreign.body.code).toBe("profile_outside_domain");
  await control("PATCH", "keys/key-d2", { accessListCapacity: 1 });
  const full = await api("POST", "keys/key-d2/hand-out", {
    personId,
    validity: { mode: "always" },
    accessProfileIds: ["ap-office", "ap-lab"],
  });
  expect(full.body.code).toBe("access_list_capacity");
  expect((await api("POST", "keys/key-x1/hand-in", {})).status).toBe(403);
  expect((await api("GET", "keys/nope")).status).toBe(404);
  await control("POST", "behaviour", { normalKeyAccess: "cylinder_jobs" });
  await api("POST", "keys/key-n1/hand-out", { personId, validity: { mode: "always" } });
  const normal = await api("PUT", "keys/key-n1/access", {
    accessProfileIds: ["ap-office"],
    validity: { mode: "always" },
  });
  expect(normal.status).toBe(202);
  expect((normal.body.jobs as Array<{ kind: string }>).map((j) => j.kind)).toEqual([
    "cylinder_programming",
    "cylinder_programming",
  ]);
});

test("hand-in frees the key at once; faults and the journal work through the control plane", async () => {
  await handedOut();
  const back = await api("POST", "keys/key-d1/hand-in", {});
  expect(back.body.key).toMatchObject({ status: "in_stock", holderId: null });
  await control("POST", "faults", { kind: "rate_limit", retryAfterSeconds: 3, times: 1 });
  const limited = await fetch(`${fake.baseUrl}/info`);
  expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "3"]);
  await control("POST", "faults", { kind: "status", status: 503, times: 1 });
  expect((await api("GET", "info")).body.code).toBe("maintenance");
  const journal = (await control("GET", "journal")).body.entries as Array<{ status?: number }>;
  expect(journal.slice(-2).map((e) => e.status)).toEqual([429, 503]);
});

test("optional token bucket: the burst passes, then 429 with Retry-After until time refills it", async () => {
  await control("POST", "behaviour", { rateLimit: { burst: 2, perSecond: 0.5 } });
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await api("GET", "info")).status);
  expect(statuses).toEqual([200, 200, 429]);
  const limited = await fetch(`${fake.baseUrl}/info`);
  expect(limited.headers.get("retry-after")).toBe("2");
  await control("POST", "advanceClock", { ms: 2000 });
  expect((await api("GET", "info")).status).toBe(200);
});

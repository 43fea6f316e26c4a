// The iLOQ fake keeps the documented rules the driver relies on (key-systems.md §6.1): session gates,
// lockout codes, full-replace rights with CanAddTimeLimit checks, blocklist reaching only synced locks,
// lock logs by database time, and signed webhooks.
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { DEMO_SEED, seedDemo } from "../../fakes/iloq/iloq-fake-seed";
import { IloqFakeServer } from "../../fakes/iloq/iloq-fake-server";

const clock = {
  t: new Date("2026-11-26T10:00:00Z"),
  now() {
    return this.t;
  },
};
let fake: IloqFakeServer;
let sid = "";

async function call(method: string, path: string, body?: unknown, session = sid) {
  const res = await fetch(`${fake.url}/api/v2/${path}`, {
    method,
    headers: { "content-type": "application/json", ...(session ? { SessionId: session } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const login = (Password = DEMO_SEED.password) =>
  call(
    "POST",
    "CreateSession",
    { UserName: DEMO_SEED.userName, Password, CustomerCode: DEMO_SEED.customerCode },
    "",
  );

beforeEach(async () => {
  clock.t = new Date("2026-11-26T10:00:00Z");
  fake = new IloqFakeServer({ clock, assumptions: { lockoutThreshold: 3 } });
  seedDemo(fake.state);
  await fake.start();
  sid = (await login()).body.SessionID;
  await call("POST", "SetLockgroup", { LockGroup_ID: DEMO_SEED.lockGroupId });
});

afterEach(() => fake.stop());

async function programmedPhoneKey(id = "k1") {
  await call("POST", "Persons", {
    Person: { Person_ID: "p1", ExternalPersonId: "e1" },
    ZoneIds: [DEMO_SEED.zoneId],
  });
  const Key = { FNKey_ID: id, Person_ID: "p1", KeyTypeMask: 6 };
  await call("POST", "Keys", {
    Key,
    SecurityAccessIds: [DEMO_SEED.apiAccessIds[0]],
    ZoneIds: [DEMO_SEED.zoneId],
  });
  await call("PUT", "KeyPhones", { FNKey_ID: id, PhoneNo: "+358400000000", Email: "", OptionMask: 0 });
  expect((await call("POST", `Keys/${id}/Order`)).status).toBe(200);
  fake.control.phoneFetched(id);
  fake.control.keyProgrammed(id);
}

it("routes case-insensitively and gates data calls behind a session and a lock group", async () => {
  expect((await call("GET", "zones")).status).toBe(200);
  expect(await call("GET", "Zones", undefined, "nope")).toEqual({
    status: 401,
    body: { Message: "Session not valid" },
  });
  const fresh = (await login()).body.SessionID;
  expect((await call("GET", "Zones", undefined, fresh)).status).toBe(400);
  expect((await call("GET", "Test", undefined, "")).body).toBe("Test OK");
});

it("locks the account after N bad passwords: 5, 5, then 7, then 8 even with the right password", async () => {
  const results = [];
  for (const pw of ["x", "x", "x", DEMO_SEED.password]) results.push((await login(pw)).body.Result);
  expect(results).toEqual([5, 5, 7, 8]);
});

it("expires idle sessions ([inf] 20 minutes)", async () => {
  clock.t = new Date(clock.t.getTime() + 20 * 60_000 + 1);
  expect((await call("GET", "Zones")).status).toBe(401);
});

it("replaces a key's rights exactly and refuses times off the 15-minute grid (CanAddTimeLimit 7)", async () => {
  await programmedPhoneKey();
  const [a, b] = DEMO_SEED.apiAccessIds;
  const slot = (LimitDateLg: string) => [{ SlotNo: 1, LimitDateLg }];
  expect(
    (
      await call("PUT", "Keys/k1/SecurityAccesses", {
        SecurityAccessIds: [b],
        TimeLimitSlots: slot("2027-01-01T10:10:00"),
      })
    ).body.Message,
  ).toContain("CanAddTimeLimit 7");
  expect(
    (
      await call("PUT", "Keys/k1/SecurityAccesses", {
        SecurityAccessIds: [b],
        TimeLimitSlots: slot("2027-01-01T10:15:00"),
      })
    ).status,
  ).toBe(200);
  const ids = async (mode: number) =>
    (await call("GET", `Keys/k1/SecurityAccesses?mode=${mode}`)).body.SecurityAccesses.map(
      (s: { SecurityAccess_ID: string }) => s.SecurityAccess_ID,
    );
  expect([await ids(1), await ids(2)]).toEqual([[b], [a]]);
  expect(
    (await call("PUT", "Keys/k1/SecurityAccesses", { SecurityAccessIds: [DEMO_SEED.standardAccessId] }))
      .status,
  ).toBe(400);
});

it("computes Can* codes from state: CanOrder 4 while ordered, CanReturn 3 before programming, CanDelete 1 after", async () => {
  await call("POST", "Persons", {
    Person: { Person_ID: "p1", ExternalPersonId: "e1" },
    ZoneIds: [DEMO_SEED.zoneId],
  });
  await call("POST", "Keys", {
    Key: { FNKey_ID: "k2", Person_ID: "p1", KeyTypeMask: 6 },
    ZoneIds: [DEMO_SEED.zoneId],
  });
  expect((await call("GET", "Keys/k2/CanOrder")).body).toBe(9); // no phone number yet
  await call("PUT", "KeyPhones", { FNKey_ID: "k2", PhoneNo: "+358400000001", Email: "", OptionMask: 0 });
  expect((await call("GET", "Keys/k2/CanReturn")).body).toBe(3);
  await call("POST", "Keys/k2/Order");
  expect((await call("GET", "Keys/k2/CanOrder")).body).toBe(4);
  expect((await call("GET", "Keys/k2/CanDelete")).body).toBe(2);
  fake.control.keyProgrammed("k2");
  expect((await call("GET", "Keys/k2/CanDelete")).body).toBe(1);
  expect((await call("GET", "Persons/p1/CanDelete")).body).toBe(1);
});

it("a blocked key is refused only by locks that synced the blocklist", async () => {
  await programmedPhoneKey();
  const [lock] = DEMO_SEED.lockIds as [string];
  expect(fake.control.appendLog({ FLock_ID: lock, FNKey_ID: "k1" }).AccessTypeMask).toBe(12);
  await call("POST", "Blacklists/AddKey/k1");
  await call("POST", "Blacklists/OrderS40Blacklist");
  expect(fake.control.appendLog({ FLock_ID: lock, FNKey_ID: "k1" }).AccessTypeMask).toBe(12);
  expect((await call("GET", "Blacklists")).body.BlacklistPacket.State).toBe(1);
  fake.control.lockSync();
  expect(fake.control.appendLog({ FLock_ID: lock, FNKey_ID: "k1" }).AccessTypeMask).toBe(1);
  expect((await call("GET", "Blacklists")).body.BlacklistPacket.State).toBe(3);
});

it("GetLockLogDataByTimestamp selects by arrival time, so an old event arriving late is included", async () => {
  const [lock] = DEMO_SEED.lockIds as [string];
  fake.control.appendLog({ FLock_ID: lock, goingUtc: new Date("2026-11-20T08:00:00Z") });
  const res = await call("POST", "LockLogs/GetLockLogDataByTimestamp", {
    StartDateUtc: "2026-11-26T09:59:00",
    EndDateUtc: "2026-11-26T10:01:00",
  });
  expect(res.body.LockLogs.map((l: { GoingDate: string }) => l.GoingDate)).toEqual(["2026-11-20T10:00:00"]);
  const byGoing = await call("POST", "LockLogs", {
    GoingStartDateUtc: "2026-11-26T00:00:00",
    GoingEndDateUtc: "2026-11-27T00:00:00",
  });
  expect(byGoing.body.TotalCount).toBe(0);
});

it("delivers webhooks signed with HMAC-SHA256 of the raw body and a Counter per new payload", async () => {
  const received: Array<{ headers: Record<string, unknown>; body: string }> = [];
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const target = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const sub = await call("POST", "Webhooks/Subscriptions", {
    WebhookEventId: "key_added",
    TargetEndpointUri: target,
  });
  await programmedPhoneKey();
  await fake.settleWebhooks();
  receiver.close();
  expect(received).toHaveLength(1);
  const got = received[0]!;
  expect(got.headers["webhook-signature"]).toBe(
    createHmac("sha256", sub.body.SignKey).update(got.body).digest("hex"),
  );
  expect([got.headers.counter, got.headers["event-name"]]).toEqual(["1", "key_added"]);
  expect(JSON.parse(got.body).CreationTimeUtc).toBe("2026-11-26T10:00:00");
});

it("TimeLimitTitles/CanAdd answers the CanAddTimeLimit code for one more slot", async () => {
  await programmedPhoneKey();
  const canAdd = async (
    SlotNo: number,
    LimitDateLg: string | null,
    TimeLimitTitle_ID: string | null = null,
  ) =>
    (
      await call("POST", "Keys/k1/TimeLimitTitles/CanAdd", {
        TimeLimitSlot: { SlotNo, LimitDateLg, TimeLimitTitle_ID },
      })
    ).body;
  expect(await canAdd(1, "2027-01-01T10:15:00")).toBe(0);
  expect(await canAdd(1, "2027-01-01T10:20:00")).toBe(7);
  expect(await canAdd(2, null)).toBe(9);
  await call("POST", "Keys/k1/TimeLimitTitles", {
    TimeLimitSlot: { SlotNo: 0, LimitDateLg: "2027-02-01T00:00:00" },
  });
  expect(await canAdd(1, "2027-01-01T10:15:00")).toBe(13);
});

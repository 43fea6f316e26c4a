// Session rules of the iLOQ client against the fake over HTTP (key-systems.md §2.1): GetUrl resolution,
// proactive re-login, no login retry after a rejected password, maintenance, API gateway key.
import { IloqClient } from "../../../connectors/iloq/iloq-client";
import { parseIloqOptions } from "../../../connectors/iloq/iloq-options";
import { DEMO_SEED, seedDemo } from "../../fakes/iloq/iloq-fake-seed";
import { IloqFakeServer } from "../../fakes/iloq/iloq-fake-server";

const clock = {
  t: new Date("2026-11-26T10:00:00Z"),
  now() {
    return this.t;
  },
};
const advance = (ms: number) => {
  clock.t = new Date(clock.t.getTime() + ms);
};

let fake: IloqFakeServer;

beforeEach(async () => {
  clock.t = new Date("2026-11-26T10:00:00Z");
  fake = new IloqFakeServer({ clock });
  seedDemo(fake.state);
  await fake.start();
});

afterEach(() => fake.stop());

function client(password = DEMO_SEED.password, extra: Record<string, unknown> = {}, apiKey?: string) {
  const options = parseIloqOptions("t", {
    baseUrl: fake.url,
    customerCode: DEMO_SEED.customerCode,
    userName: DEMO_SEED.userName,
    passwordSecret: "P",
    lockGroupId: DEMO_SEED.lockGroupId,
    requestTimeoutMs: 2000,
    ...extra,
  });
  return new IloqClient(options, { password, apiKey }, clock);
}

const paths = () => fake.journal.map((e) => `${e.pool}|${e.method} ${e.path}`);

async function kindOf(p: Promise<unknown>) {
  try {
    await p;
    return "ok";
  } catch (err) {
    return (err as { kind?: string }).kind;
  }
}

it("logs in with GetUrl → CreateSession → LockGroups → SetLockgroup and sends SessionId", async () => {
  const c = client();
  await c.call("GET", "Zones");
  expect(paths()).toEqual([
    "|POST Url/GetUrl",
    "|POST CreateSession",
    "|GET LockGroups",
    "|POST SetLockgroup",
    "|GET Zones",
  ]);
  expect(fake.journal.at(-1)?.sessionId).toBe(fake.journal[2]?.sessionId);
  expect(await c.timeZone()).toBe("Europe/Helsinki");
});

it("moves to the pool URL GetUrl returns for the login and every later call", async () => {
  fake.control.setGetUrl(`${fake.url}/iloqwspool2/`);
  await client().call("GET", "Zones");
  expect(paths().slice(0, 2)).toEqual(["|POST Url/GetUrl", "/iloqwspool2|POST CreateSession"]);
  expect(paths().at(-1)).toBe("/iloqwspool2|GET Zones");
});

it("re-logs in before the idle timeout instead of waiting for a rejected call", async () => {
  const c = client();
  await c.call("GET", "Zones");
  advance(15 * 60_000 + 1);
  await c.call("GET", "Zones");
  expect(fake.loginAttempts).toBe(2);
  expect(fake.journal.some((e) => e.status === 401)).toBe(false);
});

it("a rejected session costs exactly one new login and one resend", async () => {
  const c = client();
  await c.call("GET", "Zones");
  fake.control.expireAllSessions();
  await c.call("GET", "Zones");
  expect(fake.loginAttempts).toBe(2);
  expect(fake.journal.filter((e) => e.path === "Zones").map((e) => e.status)).toEqual([200, 401, 200]);
});

it("never retries a rejected password, so the vendor lockout is never reached", async () => {
  const c = client("wrong");
  for (let i = 0; i < 10; i++) expect(await kindOf(c.call("GET", "Zones"))).toBe("systemic");
  expect(fake.loginAttempts).toBe(1);
  expect(fake.state.users[0]?.lockedOut).toBe(false);
});

it("treats maintenance (CreateSession 4) as retryable and logs in once it is over", async () => {
  const c = client();
  fake.control.setMaintenance(true);
  expect(await kindOf(c.call("GET", "Zones"))).toBe("retryable");
  fake.control.setMaintenance(false);
  expect(await kindOf(c.call("GET", "Zones"))).toBe("ok");
});

it("refuses a lock group the API user cannot see as systemic", async () => {
  const c = client(DEMO_SEED.password, { lockGroupId: "not-mine" });
  expect(await kindOf(c.call("GET", "Zones"))).toBe("systemic");
});

it("sends x-api-key on every call in API Gateway mode", async () => {
  fake.assumptions.gatewayApiKey = "gw-key";
  expect(await kindOf(client().call("GET", "Zones"))).toBe("systemic");
  fake.journal.length = 0;
  await client(DEMO_SEED.password, {}, "gw-key").call("GET", "Zones");
  expect(fake.journal.every((e) => e.apiKey === "gw-key")).toBe(true);
});

it("classifies the fake's rate limit as rate_limited with its Retry-After", async () => {
  fake.assumptions.rateLimit = { capacity: 3, refillPerSecond: 0.5 };
  const c = client();
  await c.call("GET", "Zones"); // LockGroups, SetLockgroup, Zones use the bucket
  const err = await c.call("GET", "Zones").catch((e: unknown) => e);
  expect(err).toMatchObject({ kind: "rate_limited", retryAfterMs: 2000 });
});

// A person provisioned over SCIM with a mobile number gets an iLOQ phone key registered to that number,
// holding the profile's right AND its weekly time profile — confirmed by the iLOQ fake's own state — through
// the processes `keybridge start` wires (src/runtime). A person without a mobile number needs attention
// with a stable code and no key; deactivation is effective once iLOQ confirms the return, not when the
// confirm timer next looks.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { holderExternalId } from "../../src/access/holder-spec";
import { parseConfig } from "../../src/config/load-config";
import { silentLogger } from "../../src/log/logger";
import { MappingHolder } from "../../src/mapping/mapping-holder";
import type { LedgerEntry } from "../../src/reconcile/ledger-entry";
import { buildCore, type Core } from "../../src/runtime/build-core";
import { type BuiltDrivers, buildDrivers, loadMappingsForDrivers } from "../../src/runtime/build-drivers";
import { type RunningApi, startApi } from "../../src/runtime/start-api";
import { type RunningWorkers, reconcileDeps, startWorkers } from "../../src/runtime/start-workers";
import { reconcilePerson } from "../../src/reconcile/reconcile-person";
import { TenantTokens } from "../../src/scim/tenant-tokens";
import { REQUEST_PATH_REDIS_OPTIONS } from "../../src/store/redis-client-options";
import { DEMO_SEED, seedDemo } from "../fakes/iloq/iloq-fake-seed";
import { IloqFakeServer } from "../fakes/iloq/iloq-fake-server";
import type { FakeKey } from "../fakes/iloq/iloq-fake-types";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";

const SCIM = "application/scim+json";
/** The demo seed's "API Control room" right and lock, and its "API Main gate" right. */
const ACCESS = DEMO_SEED.apiAccessIds[1] as string;
const LOCK = DEMO_SEED.lockIds[1] as string;
const ENTRANCE = DEMO_SEED.apiAccessIds[0] as string;

/** The control room's staffed hours in the lock group's zone (the demo seed's "FLE Standard Time"). */
const MAPPINGS = `apiVersion: keybridge.io/v1
kind: KeySystem
id: hq-iloq
driver: iloq
timeZone: Europe/Helsinki
---
apiVersion: keybridge.io/v1
kind: Profile
name: control-room
schedule:
  timeZone: Europe/Helsinki
  windows:
    - days: [mon, tue, wed, thu, fri]
      start: "05:45"
      end: "22:15"
keySystems:
  hq-iloq:
    vendorRefs: [${ACCESS}]
---
apiVersion: keybridge.io/v1
kind: Profile
name: hq-general
keySystems:
  hq-iloq:
    vendorRefs: [${ENTRANCE}]
---
apiVersion: keybridge.io/v1
kind: Rule
name: everyone-active
match: { active: true }
grants: [control-room, hq-general]
`;

describe("iLOQ phone keys from SCIM, through src/runtime", () => {
  let redis: TestRedis;
  let fake: IloqFakeServer;
  let apiRedis: Redis;
  let workerRedis: Redis;
  let apiCore: Core;
  let workerCore: Core;
  let api: RunningApi;
  let workers: RunningWorkers;
  let built: BuiltDrivers;
  let base: string;
  let auth: Record<string, string>;

  beforeAll(async () => {
    redis = await startTestRedis();
    fake = new IloqFakeServer({ clock: { now: () => new Date() } });
    seedDemo(fake.state);
    await fake.start();
    const dir = mkdtempSync(join(tmpdir(), "kb-iloq-"));
    writeFileSync(join(dir, "mappings.yaml"), MAPPINGS);
    const config = parseConfig({
      redisUrl: redis.url,
      port: 0,
      host: "127.0.0.1",
      logLevel: "silent",
      mappingsDir: dir,
      keySystems: {
        "hq-iloq": {
          credential: { kind: "phone" },
          options: {
            baseUrl: fake.url,
            customerCode: DEMO_SEED.customerCode,
            userName: DEMO_SEED.userName,
            passwordSecret: "ILOQ_PASSWORD",
            lockGroupId: DEMO_SEED.lockGroupId,
          },
        },
      },
      // Far beyond the test's waits: a revocation that only became effective via the timer would time out.
      reconcile: { backoffMs: 50, confirmAfterMs: 120_000 },
      secrets: { ILOQ_PASSWORD: DEMO_SEED.password },
    });
    const mappings = new MappingHolder(config.mappingsDir, loadMappingsForDrivers);
    workerRedis = new Redis(redis.url, { maxRetriesPerRequest: null });
    workerCore = buildCore(config, silentLogger(), workerRedis, mappings);
    built = buildDrivers(config, mappings.current, workerCore);
    workers = await startWorkers(workerCore, built);
    apiRedis = new Redis(redis.url, REQUEST_PATH_REDIS_OPTIONS);
    await apiRedis.connect();
    apiCore = buildCore(config, silentLogger(), apiRedis, mappings);
    api = await startApi(apiCore);
    const token = await new TenantTokens({ redis: apiRedis }).create("demo");
    base = `http://127.0.0.1:${api.port}/scim/v2/demo`;
    auth = { authorization: `Bearer ${token.secret}`, "content-type": SCIM };
  });

  afterAll(async () => {
    await api.close();
    await workers.close();
    await apiCore.close();
    await workerCore.close();
    apiRedis.disconnect();
    workerRedis.disconnect();
    await fake.stop();
    await redis.stop();
  });

  async function scim(method: string, path: string, body?: unknown) {
    const res = await fetch(`${base}${path}`, { method, headers: auth, body: JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
    for (let i = 0; i < 200; i++) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  const entry = async (personId: string): Promise<LedgerEntry | undefined> =>
    (await workerCore.ledger.read("demo", "hq-iloq", personId)).entries.find(
      (e) => e.profile === "control-room",
    );

  const keysWithPhone = (phone: string): FakeKey[] =>
    [...fake.state.keys.values()].filter((k) => k.PhoneNo === phone);

  const user = (userName: string, phoneNumbers: unknown[]) => ({
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName,
    name: { givenName: "Grace", familyName: "Hopper" },
    active: true,
    phoneNumbers,
  });

  it("issues a phone key to the mobile number with the right and the weekly time profile", async () => {
    const mobile = "+358 40 111 2222";
    const created = await scim("POST", "/Users", {
      ...user("grace@example.org", [
        { value: "+358 9 000 0000", type: "work", primary: true },
        { value: mobile, type: "mobile" },
      ]),
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await until("the key to be ordered", async () => {
      const e = await entry(id);
      return e?.state === "pending_programming" ? e : undefined;
    });
    const [key] = keysWithPhone(mobile);
    expect(key).toMatchObject({ KeyTypeMask: 6, PhoneNo: mobile, State: 1 });
    expect(key?.planned.securityAccessIds).toEqual([ACCESS, ENTRANCE].sort());
    expect(key?.planned.timeLimitSlots).toEqual([
      expect.objectContaining({
        SlotNo: 2,
        TimeLimitData: [{ WeekDayMask: 0b0011111, StartTimeMS: 345 * 60_000, EndTimeMS: 1335 * 60_000 }],
      }),
    ]);
    // The phone fetches its packet: the lock now opens inside the hours and refuses outside them.
    const keyId = key?.FNKey_ID as string;
    fake.control.keyProgrammed(keyId);
    expect(fake.control.accessOutcome(LOCK, keyId, new Date("2026-11-26T08:00:00Z"))).toBe(12); // Thu 10:00
    expect(fake.control.accessOutcome(LOCK, keyId, new Date("2026-11-26T21:00:00Z"))).toBe(1); // Thu 23:00
    expect(fake.control.accessOutcome(LOCK, keyId, new Date("2026-11-28T08:00:00Z"))).toBe(1); // Saturday

    // Converged: reconciling again reads the right and the time profile back and plans nothing.
    const again = await reconcilePerson(
      { tenant: "demo", personId: id, correlationId: "converge", trigger: "resync" },
      "hq-iloq",
      reconcileDeps(workerCore, built),
    );
    expect(again.actions).toEqual([]);

    // Deactivation (Entra's "False"): emptied, ordered, then returned — effective on iLOQ's answer.
    const off = await scim("PATCH", `/Users/${id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "Replace", path: "active", value: "False" }],
    });
    expect(off.status).toBe(200);
    const revoked = await until("the revocation to be effective", async () => {
      const e = await entry(id);
      return e?.action === "revoke" && e.state === "effective" ? e : undefined;
    });
    expect(revoked.exposureUntil).toBeUndefined();
    expect(fake.state.keys.has(keyId)).toBe(false); // iLOQ Return deletes the key (§2.3)
  });

  it("a person without a mobile number needs attention with a stable code, and no key is made", async () => {
    const created = await scim("POST", "/Users", {
      ...user("ada@example.org", [{ value: "+358 9 123 4567", type: "work" }]),
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const flag = await until("the attention flag", () =>
      workerCore.ledger.attention("demo", "hq-iloq", id).then((f) => f ?? undefined),
    );
    expect(flag).toMatchObject({ kind: "permanent", error: { code: "BRIDGE_CREDENTIAL_UNAVAILABLE" } });
    expect(flag.error?.message).not.toContain("+358");
    expect(keysWithPhone("+358 9 123 4567")).toEqual([]);
    const person = [...fake.state.persons.values()].find(
      (p) => p.ExternalPersonId === holderExternalId("demo", "hq-iloq", id),
    );
    expect([...fake.state.keys.values()].filter((k) => k.Person_ID === person?.Person_ID)).toEqual([]);

    // The IdP adds the mobile number: that change reconciles the person, the key is issued, the flag clears.
    const patched = await scim("PATCH", `/Users/${id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [
        { op: "add", path: "phoneNumbers", value: [{ value: "+358 50 999 0000", type: "mobile" }] },
      ],
    });
    expect(patched.status).toBe(200);
    await until("the key to be ordered", async () => {
      const e = await entry(id);
      return e?.state === "pending_programming" ? e : undefined;
    });
    expect(keysWithPhone("+358 50 999 0000")).toHaveLength(1);
    expect(await workerCore.ledger.attention("demo", "hq-iloq", id)).toBeNull();
  });
});

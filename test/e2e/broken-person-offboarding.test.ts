// A leaver whose stored data is broken in ways an older edge accepted (nulls in multi-valued
// attributes, a non-date accessValidUntil, a name that is not an object…) still loses access when the
// IdP deactivates them over SCIM: the edge validates only what the PATCH changes, and offboarding is
// planned from the ledger and the key system alone (issue #9 item 2).
import { join } from "node:path";
import { Redis } from "ioredis";
import type { MemoryDriver } from "../../connectors/memory/memory-driver";
import { holderExternalId } from "../../src/access/holder-spec";
import { parseConfig } from "../../src/config/load-config";
import { silentLogger } from "../../src/log/logger";
import { MappingHolder } from "../../src/mapping/mapping-holder";
import { buildCore, type Core } from "../../src/runtime/build-core";
import { type BuiltDrivers, buildDrivers } from "../../src/runtime/build-drivers";
import { type RunningApi, startApi } from "../../src/runtime/start-api";
import { type RunningWorkers, startWorkers } from "../../src/runtime/start-workers";
import { TenantTokens } from "../../src/scim/tenant-tokens";
import { KEYBRIDGE_USER_URN, type StoredUser } from "../../src/store/directory-types";
import { REQUEST_PATH_REDIS_OPTIONS } from "../../src/store/redis-client-options";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";

const SCIM = "application/scim+json";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

let redis: TestRedis;
let apiRedis: Redis;
let workerRedis: Redis;
let apiCore: Core;
let workerCore: Core;
let built: BuiltDrivers;
let api: RunningApi;
let workers: RunningWorkers;
let base: string;
let auth: Record<string, string>;

beforeAll(async () => {
  redis = await startTestRedis();
  const config = parseConfig({
    redisUrl: redis.url,
    port: 0,
    host: "127.0.0.1",
    logLevel: "silent",
    mappingsDir: join(__dirname, "../../mappings"),
    keySystems: { demo: { options: {} } },
    reconcile: { backoffMs: 50, confirmAfterMs: 200 },
  });
  const mappings = new MappingHolder(config.mappingsDir);
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
  await api?.close();
  await workers?.close();
  await apiCore?.close();
  await workerCore?.close();
  apiRedis?.disconnect();
  workerRedis?.disconnect();
  await redis?.stop();
});

async function scim(method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: auth,
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** What the simulated vendor itself holds for the person: door grants on live credentials. */
async function vendorGrants(personId: string): Promise<string[]> {
  const driver = built.drivers.get("demo") as MemoryDriver;
  const obs = await driver.observe(holderExternalId("demo", "demo", personId));
  return obs.credentials
    .filter((c) => c.status !== "returned" && c.status !== "blocked" && c.status !== "lost")
    .flatMap((c) => c.plannedGrants.map((g) => g.vendorRef));
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const BROKEN: Array<[string, (u: Record<string, unknown>) => void]> = [
  [
    "null entries in emails and phoneNumbers",
    (u) => Object.assign(u, { emails: [null], phoneNumbers: [null] }),
  ],
  [
    "non-string values",
    (u) => Object.assign(u, { emails: [{ value: 42, primary: "yes" }, 3], displayName: 7, userName: 9 }),
  ],
  [
    "a name that is not an object",
    (u) => Object.assign(u, { name: "Ada Lovelace", emails: "ada@example.org", phoneNumbers: {} }),
  ],
  [
    "a non-date accessValidUntil",
    (u) => {
      u.schemas = ["urn:ietf:params:scim:schemas:core:2.0:User", KEYBRIDGE_USER_URN];
      u[KEYBRIDGE_USER_URN] = { accessValidUntil: "soon" };
      u.phoneNumbers = [{ value: null }, 12];
    },
  ],
];

/** Entra's deactivation: today's edge takes it even for a user stored broken (canonical-user-change.ts). */
async function deactivate(id: string): Promise<void> {
  const off = await scim("PATCH", `/Users/${id}`, {
    schemas: [PATCH_OP],
    Operations: [{ op: "Replace", path: "active", value: "False" }],
  });
  expect(off.status).toBe(200);
}

it.each(BROKEN)(
  "revokes a deactivated person whose stored data has %s",
  async (label, breakIt) => {
    const userName = `${label.replaceAll(" ", "-")}@example.org`;
    const user = await scim("POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName,
      name: { givenName: "Ada", familyName: "Lovelace" },
      emails: [{ value: userName, primary: true }],
      active: true,
    });
    expect(user.status).toBe(201);
    const id = user.body.id as string;
    const group = await scim("POST", "/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: `Door Access Demo`,
    });
    const groupId =
      group.status === 201
        ? (group.body.id as string)
        : ((await scim("GET", `/Groups?filter=${encodeURIComponent('displayName eq "Door Access Demo"')}`))
            .body.Resources[0].id as string);
    const add = await scim("PATCH", `/Groups/${groupId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "add", path: "members", value: [{ value: id }] }],
    });
    expect(add.status).toBe(204);
    await until(async () => (await vendorGrants(id)).length === 1, "the door grant");

    // As if an older edge had accepted it: the broken shape goes straight into the store.
    await apiCore.store.updateUser(
      "demo",
      id,
      ({ id: _id, meta: _meta, ...u }) => {
        const broken = structuredClone(u) as Record<string, unknown>;
        breakIt(broken);
        return broken as unknown as Omit<StoredUser, "id" | "meta">;
      },
      { correlationId: "older-edge" },
    );

    await deactivate(id);
    await until(async () => (await vendorGrants(id)).length === 0, "the revocation at the vendor");
    // The ledger follows once the run that made the vendor call records it.
    const door = async () =>
      (await workerCore.ledger.read("demo", "demo", id)).entries.find((e) => e.profile === "demo-door");
    await until(async () => (await door())?.state === "effective", "the revocation in the ledger", 5_000);
    expect(await door()).toMatchObject({ action: "revoke", state: "effective" });
  },
  40_000,
);

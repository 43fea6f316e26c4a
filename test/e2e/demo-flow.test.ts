// The README demo as a test: the processes `keybridge start` wires (SCIM API + reconcile workers + the
// simulated key system), driven over HTTP like an IdP. A joiner's grant becomes effective after the
// simulated programming delay; deactivating them (Entra's "False" string) revokes it to effective.
import { join } from "node:path";
import { Redis } from "ioredis";
import { readAuditRecords } from "../../src/audit/export-audit";
import { verifyAudit } from "../../src/audit/verify-audit";
import { parseConfig } from "../../src/config/load-config";
import { silentLogger } from "../../src/log/logger";
import { MappingHolder } from "../../src/mapping/mapping-holder";
import type { LedgerEntry } from "../../src/reconcile/ledger-entry";
import { buildCore, type Core } from "../../src/runtime/build-core";
import { buildDrivers } from "../../src/runtime/build-drivers";
import { type RunningApi, startApi } from "../../src/runtime/start-api";
import { type RunningWorkers, startWorkers } from "../../src/runtime/start-workers";
import { TenantTokens } from "../../src/scim/tenant-tokens";
import { REQUEST_PATH_REDIS_OPTIONS } from "../../src/store/redis-client-options";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";

const SCIM = "application/scim+json";

describe("the npm start demo, end to end", () => {
  let redis: TestRedis;
  let apiRedis: Redis;
  let workerRedis: Redis;
  let apiCore: Core;
  let workerCore: Core;
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
      keySystems: { demo: { options: { programmingDelayMs: 300, propagationDelayMs: 300 } } },
      reconcile: { backoffMs: 50, confirmAfterMs: 200 },
    });
    const mappings = new MappingHolder(config.mappingsDir);
    workerRedis = new Redis(redis.url, { maxRetriesPerRequest: null });
    workerCore = buildCore(config, silentLogger(), workerRedis, mappings);
    workers = await startWorkers(workerCore, buildDrivers(config, mappings.current, workerCore));
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
    await redis.stop();
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

  async function demoDoor(personId: string): Promise<LedgerEntry | undefined> {
    const ledger = await workerCore.ledger.read("demo", "demo", personId);
    return ledger.entries.find((e) => e.profile === "demo-door");
  }

  async function waitFor(
    personId: string,
    action: "grant" | "revoke",
    state: string,
  ): Promise<LedgerEntry[]> {
    const seen: LedgerEntry[] = [];
    for (let i = 0; i < 200; i++) {
      const entry = await demoDoor(personId);
      if (entry && seen.at(-1)?.state !== entry.state) seen.push(entry);
      if (entry?.action === action && entry.state === state) return seen;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(
      `demo-door never reached ${action}/${state}; saw ${JSON.stringify(seen.map((e) => [e.action, e.state]))}`,
    );
  }

  it("grants the demo door to a group member and revokes it when the user is deactivated", async () => {
    const user = await scim("POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "ada@example.org",
      name: { givenName: "Ada", familyName: "Lovelace" },
      active: true,
    });
    expect(user.status).toBe(201);
    const group = await scim("POST", "/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "Door Access Demo",
    });
    expect(group.status).toBe(201);
    const add = await scim("PATCH", `/Groups/${group.body.id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "Add", path: "members", value: [{ $ref: null, value: user.body.id }] }],
    });
    expect(add.status).toBe(204);

    const granted = await waitFor(user.body.id, "grant", "effective");
    expect(granted.map((e) => e.state)).toContain("pending_programming");
    expect(granted.at(-1)?.reasons).toEqual(["door-access-demo"]);

    const off = await scim("PATCH", `/Users/${user.body.id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "Replace", path: "active", value: "False" }],
    });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);

    const revoked = await waitFor(user.body.id, "revoke", "effective");
    expect(revoked.at(-1)?.effectiveAt).toBeDefined();

    const audit = await verifyAudit(workerRedis);
    expect(audit.ok).toBe(true);
    const types = (await readAuditRecords(workerRedis, { person: user.body.id }, 1000)).map((r) => r.type);
    expect(types).toEqual(
      expect.arrayContaining([
        "scim.user.created",
        "scim.user.deactivated",
        "grant.effective",
        "revocation.effective",
      ]),
    );
  });
});

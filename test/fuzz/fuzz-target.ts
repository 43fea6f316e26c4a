// The system under fuzz: the processes `keybridge start` runs (src/runtime: SCIM API + reconcile
// workers, one shared core each) on a private Redis, with an in-process memory key system, three IdP
// tenants and, per tenant, pool persons (anything may happen to them) and leavers (only damaged), all
// holding the FuzzDoor grant before the fuzzing starts; at the end everyone is offboarded.
import { join } from "node:path";
import { Writable } from "node:stream";
import { Redis } from "ioredis";
import type { MemoryDriver } from "../../connectors/memory/memory-driver";
import { holderExternalId } from "../../src/access/holder-spec";
import { verifyAudit } from "../../src/audit/verify-audit";
import { parseConfig } from "../../src/config/load-config";
import { createLogger } from "../../src/log/logger";
import { MappingHolder } from "../../src/mapping/mapping-holder";
import { buildCore, type Core } from "../../src/runtime/build-core";
import { buildDrivers } from "../../src/runtime/build-drivers";
import { type RunningApi, startApi } from "../../src/runtime/start-api";
import { type RunningWorkers, startWorkers } from "../../src/runtime/start-workers";
import { TenantTokens } from "../../src/scim/tenant-tokens";
import { REQUEST_PATH_REDIS_OPTIONS } from "../../src/store/redis-client-options";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { type Answer, encodeBody, sendHttp, sendSocket } from "./fuzz-http";
import { logLineProblems } from "./fuzz-invariants";
import type { FuzzRequest } from "./fuzz-request";
import { FUZZ_IDPS, type FuzzIdp, GROUP_MARK, LEAVER_MARK, USER_MARK } from "./fuzz-templates";

export const FUZZ_SYSTEM = "fuzzlocks";
const DOOR_REF = "profile-1";
const POOL_SIZE = 3;
const SCIM = "application/scim+json";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

interface TenantPool {
  token: string;
  /** The group the fuzzer's GROUP marker names (the door group's id is never handed to it). */
  scratch: string;
  /** Targets of the USER marker: anything may happen to them. */
  persons: string[];
  /** Targets of the `damage` mutation only; members of FuzzDoor with the door granted. */
  leavers: string[];
}

export interface FuzzTarget {
  port: number;
  send(req: FuzzRequest): Promise<Answer>;
  /** Deactivates every pool person the way their IdP does; problems when one cannot be. */
  offboard(): Promise<string[]>;
  /** Waits until no leaver's credential in the key system opens the door; names those that still do. */
  leaversStillOpen(timeoutMs: number): Promise<string[]>;
  auditProblems(): Promise<string[]>;
  logProblems(): string[];
  close(): Promise<void>;
}

/** Log lines are scanned as they are written (a long run would not fit in memory). */
function scanningLogger(tokens: () => string[], found: string[]) {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString("utf8").split("\n"))
        if (line && found.length < 20) found.push(...logLineProblems(line, tokens()));
      done();
    },
  });
  return createLogger("info", sink);
}

async function scim(
  port: number,
  token: string,
  tenant: string,
  method: string,
  path: string,
  body?: unknown,
) {
  const headers = { authorization: `Bearer ${token}`, "content-type": SCIM };
  const wire = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return sendHttp(port, { method, path: `/scim/v2/${tenant}${path}`, headers, body: wire });
}

async function createUser(port: number, tenant: FuzzIdp, token: string, name: string): Promise<string> {
  const userName = `${name}-${tenant}@pool.example`;
  const res = await scim(port, token, tenant, "POST", "/Users", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName,
    externalId: name,
    active: true,
    name: { givenName: "Pool", familyName: name },
    emails: [{ value: userName, type: "work", primary: true }],
  });
  if (res.status !== 201) throw new Error(`pool user: ${res.status} ${res.text}`);
  return (res.json as { id: string }).id;
}

async function createGroup(port: number, tenant: FuzzIdp, token: string, name: string, members: string[]) {
  const res = await scim(port, token, tenant, "POST", "/Groups", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    displayName: name,
    members: members.map((value) => ({ value })),
  });
  if (res.status !== 201) throw new Error(`pool group: ${res.status} ${res.text}`);
  return (res.json as { id: string }).id;
}

async function provision(port: number, tenant: FuzzIdp, token: string): Promise<TenantPool> {
  const persons: string[] = [];
  const leavers: string[] = [];
  for (let i = 0; i < POOL_SIZE; i++) persons.push(await createUser(port, tenant, token, `person-${i}`));
  for (let i = 0; i < POOL_SIZE; i++) leavers.push(await createUser(port, tenant, token, `leaver-${i}`));
  await createGroup(port, tenant, token, "FuzzDoor", [...persons, ...leavers]);
  const scratch = await createGroup(port, tenant, token, "Scratch", persons);
  return { token, scratch, persons, leavers };
}

/** Each IdP's own deactivation (scim-clients.md §2): Entra's "False", Okta's pathless replace, SailPoint's path. */
function deactivation(idp: FuzzIdp): unknown {
  const op =
    idp === "entra"
      ? { op: "Replace", path: "active", value: "False" }
      : idp === "okta"
        ? { op: "replace", value: { active: false } }
        : { op: "replace", path: "active", value: false };
  return { schemas: [PATCH_OP], Operations: [op] };
}

export async function startFuzzTarget(): Promise<FuzzTarget> {
  const redis: TestRedis = await startTestRedis();
  const config = parseConfig({
    redisUrl: redis.url,
    port: 0,
    host: "127.0.0.1",
    mappingsDir: join(__dirname, "mappings"),
    tenants: FUZZ_IDPS.map((id) => ({ id, displayName: id, kind: id })),
    scim: { rateLimit: { requestsPerSecond: 100_000, burst: 100_000 } },
    keySystems: { [FUZZ_SYSTEM]: { options: {} } },
    reconcile: { backoffMs: 100, confirmAfterMs: 200 },
  });
  const pools = new Map<FuzzIdp, TenantPool>();
  const logFindings: string[] = [];
  const logger = scanningLogger(() => [...pools.values()].map((p) => p.token), logFindings);
  const mappings = new MappingHolder(config.mappingsDir);
  const workerRedis = new Redis(redis.url, { maxRetriesPerRequest: null });
  const workerCore: Core = buildCore(config, logger.child({ role: "worker" }), workerRedis, mappings);
  const built = buildDrivers(config, mappings.current, workerCore);
  const workers: RunningWorkers = await startWorkers(workerCore, built);
  const apiRedis = new Redis(redis.url, REQUEST_PATH_REDIS_OPTIONS);
  await apiRedis.connect();
  const apiCore: Core = buildCore(config, logger.child({ role: "api" }), apiRedis, mappings);
  const api: RunningApi = await startApi(apiCore);
  const keySystem = (built.drivers.get(FUZZ_SYSTEM) as MemoryDriver).keySystem;
  const tokens = new TenantTokens({ redis: apiRedis });
  for (const idp of FUZZ_IDPS)
    pools.set(idp, await provision(api.port, idp, (await tokens.create(idp)).secret));

  const openDoors = async (): Promise<string[]> => {
    const open: string[] = [];
    const state = await keySystem.store.read((s) => structuredClone(s));
    for (const [idp, pool] of pools)
      for (const id of [...pool.persons, ...pool.leavers]) {
        const ext = holderExternalId(idp, FUZZ_SYSTEM, id);
        const holder = Object.values(state.holders).find((h) => h.externalId === ext);
        const opens = Object.values(state.credentials).some(
          (c) =>
            c.holderId === holder?.holderId &&
            !["returned", "blocked", "lost"].includes(c.status) &&
            c.programmed.some((g) => g.vendorRef === DOOR_REF),
        );
        if (opens) open.push(`${idp}/${id}`);
      }
    return open;
  };
  const waitDoors = async (wantOpen: number, timeoutMs: number): Promise<string[]> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const open = await openDoors();
      if (open.length === wantOpen || Date.now() > deadline) return open;
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const everyone = FUZZ_IDPS.length * POOL_SIZE * 2;
  if ((await waitDoors(everyone, 20_000)).length !== everyone)
    throw new Error("pool grants never became effective");

  const fill = (text: string, req: FuzzRequest): string => {
    const pool = pools.get(req.idp) as TenantPool;
    const person = pool.persons[req.person % pool.persons.length] as string;
    const leaver = pool.leavers[req.person % pool.leavers.length] as string;
    return text
      .replaceAll(USER_MARK, person)
      .replaceAll(LEAVER_MARK, leaver)
      .replaceAll(GROUP_MARK, pool.scratch);
  };
  const authHeader = (req: FuzzRequest): string | undefined => {
    const own = (pools.get(req.idp) as TenantPool).token;
    const other = (pools.get(req.idp === "okta" ? "entra" : "okta") as TenantPool).token;
    const values: Record<FuzzRequest["auth"], string | undefined> = {
      own: `Bearer ${own}`,
      none: undefined,
      wrong: "Bearer not-a-token",
      otherTenant: `Bearer ${other}`,
      bare: own,
      basic: "Basic dXNlcjpwYXNz",
      emptyBearer: "Bearer ",
    };
    return values[req.auth];
  };

  return {
    port: api.port,
    async send(req) {
      if (req.socket) return sendSocket(api.port, req.socket);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = fill(v, req);
      const auth = authHeader(req);
      if (auth !== undefined) headers.authorization = auth;
      const body = encodeBody(
        req.body === undefined ? undefined : fill(req.body, req),
        req.encoding,
        headers,
      );
      const path = `/scim/v2/${req.tenantSegment ?? req.idp}${fill(req.path, req)}`;
      return sendHttp(api.port, { method: req.method, path, headers, body });
    },
    async offboard() {
      const problems: string[] = [];
      for (const [idp, pool] of pools)
        for (const id of [...pool.persons, ...pool.leavers]) {
          const res = await scim(api.port, pool.token, idp, "PATCH", `/Users/${id}`, deactivation(idp));
          // 404: the fuzzer deleted this person, which must revoke as well.
          if (res.status >= 300 && res.status !== 404)
            problems.push(`deactivating ${idp}/${id} answered ${res.status} ${res.text.slice(0, 200)}`);
        }
      return problems;
    },
    leaversStillOpen: (timeoutMs) => waitDoors(0, timeoutMs),
    async auditProblems() {
      const result = await verifyAudit(workerRedis);
      return result.ok ? [] : [`audit verify failed: ${JSON.stringify(result.firstBad)}`];
    },
    logProblems: () => [...logFindings],
    async close() {
      await api.close();
      await workers.close();
      await apiCore.close();
      await workerCore.close();
      apiRedis.disconnect();
      workerRedis.disconnect();
      await redis.stop();
    },
  };
}

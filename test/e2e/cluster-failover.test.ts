// keybridge on a Redis Cluster with replicas (3 masters + 3 replicas), built through src/runtime as
// `keybridge start` runs it: a failover under load loses no change an IdP was told succeeded. Under
// Entra's SCIM requests (the IdP fixtures' user create and disable), the replica of the master that
// serves the tenant's slot is cut off — stopped (SIGSTOP) and its replication link killed, as in a
// partition — so nothing more reaches it; then that master dies (SIGKILL) and the cluster promotes the
// replica on its own (cluster-node-timeout 1 s). With redis.waitReplicas keybridge must answer what no
// replica confirmed with 503, never 2xx: every 2xx change is on the new master afterwards, every
// deactivated leaver is revoked in the key system, and the audit chain verifies.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { holderExternalId } from "../../src/access/holder-spec";
import { verifyAudit } from "../../src/audit/verify-audit";
import { isBridgeError } from "../../src/errors/bridge-error";
import { startDirtySweeper } from "../../src/reconcile/dirty-sweeper";
import { redisKeys } from "../../src/store/redis-keys";
import { keySlot, MSG_NOT_REPLICATED } from "../../src/store/replica-ack";
import { startTestRedisCluster, type TestRedisCluster } from "../helpers/test-redis-cluster";
import { ctx, userInput } from "../store/store-fixture";
import { type E2eKeybridge, e2eConfig, type ScimAnswer, startKeybridge } from "./e2e-processes";

const ROOT = join(__dirname, "../..");
const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const TENANT = "demo";
const LEAVERS = 8;
const WRITERS = 8;

interface FixtureRequest {
  method: string;
  body?: Record<string, unknown>;
}
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(ROOT, "test/fixtures/scim/entra", name), "utf8")) as {
    requests: FixtureRequest[];
  };
/** Entra's user create (POST with the enterprise extension and explicit nulls), for any userName. */
const ENTRA_CREATE = fixture("create-user.json").requests.find((r) => r.method === "POST")?.body;
/** Entra's disable: op Replace, path active, the string "False". */
const ENTRA_DISABLE = fixture("disable-string-false.json").requests.find((r) => r.method === "PATCH")?.body;

function entraUser(userName: string): Record<string, unknown> {
  const externalId = userName.split("@")[0];
  return {
    ...ENTRA_CREATE,
    userName,
    externalId,
    emails: [{ primary: true, type: "work", value: userName }],
  };
}

type Scim = (method: string, path: string, body?: unknown) => Promise<ScimAnswer>;

/** A request that failed at the socket (the API is up; this should not happen) counts as no answer. */
async function call(scim: Scim, method: string, path: string, body?: unknown): Promise<number> {
  try {
    return (await scim(method, path, body)).status;
  } catch {
    return 0;
  }
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("keybridge on a Redis Cluster with replicas", () => {
  let cluster: TestRedisCluster;
  let kb: E2eKeybridge;
  let scim: Scim;
  // Every key of the tenant shares its hash tag, so one slot (and one master) holds its directory.
  const tenantSlot = keySlot(redisKeys.dirtyPersons(TENANT));

  const held = async (personId: string) => {
    const seen = await kb.driver("demo").observe(holderExternalId(TENANT, "demo", personId));
    return seen.credentials.flatMap((c) => c.programmedGrants.map((g) => g.vendorRef));
  };

  /** The group the shipped mappings grant the demo door for (created on first use). */
  const doorGroup = async (): Promise<string> => {
    const found = await scim(
      "GET",
      `/Groups?filter=${encodeURIComponent('displayName eq "Door Access Demo"')}`,
    );
    const existing = (found.body.Resources as Array<{ id: string }> | undefined)?.[0]?.id;
    if (existing) return existing;
    const group = await scim("POST", "/Groups", { schemas: [GROUP_SCHEMA], displayName: "Door Access Demo" });
    expect(group.status).toBe(201);
    return String(group.body.id);
  };

  beforeAll(async () => {
    cluster = await startTestRedisCluster({ replicas: 1, nodeTimeoutMs: 1_000 });
    kb = await startKeybridge(
      e2eConfig({
        redisUrl: cluster.config.redisUrl,
        redis: { clusterNodes: cluster.config.redis?.clusterNodes, waitReplicas: 1, waitTimeoutMs: 500 },
        mappingsDir: join(ROOT, "mappings"),
        tenants: [{ id: TENANT, displayName: "Demo", kind: "entra" }],
        keySystems: { demo: { options: { programmingDelayMs: 20, propagationDelayMs: 20 } } },
        reconcile: { backoffMs: 50, confirmAfterMs: 100, lockDurationMs: 2000, stalledIntervalMs: 500 },
      }),
      "start",
    );
    scim = await kb.scim(TENANT);
  }, 60_000);

  afterAll(async () => {
    await kb?.close();
    await cluster?.stop();
  }, 60_000);

  it("serves SCIM through the cluster, each write already on the slot's replica when answered", async () => {
    expect(ENTRA_CREATE).toBeDefined();
    expect(ENTRA_DISABLE).toBeDefined();
    const user = await scim("POST", "/Users", entraUser("ada@contoso.com"));
    expect(user.status).toBe(201);
    const id = String(user.body.id);
    const master = await cluster.masterPortOf(tenantSlot);
    const [replica] = await cluster.replicaPortsOf(master as number);
    expect(replica).toBeDefined();
    // Answered after WAIT on the master that took the write: its replica already holds the user.
    expect(await cluster.command(replica as number, "EXISTS", redisKeys.user(TENANT, id))).toBe(1);
    const add = await scim("PATCH", `/Groups/${await doorGroup()}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "Add", path: "members", value: [{ value: id }] }],
    });
    expect(add.status).toBe(204);
    await until("the door granted", 20_000, async () => ((await held(id)).length > 0 ? true : undefined));
  }, 40_000);

  it("confirms each write on its own slot's master: one without its replica answers 503, the others 2xx", async () => {
    // One tenant per master (a tenant's keys share one slot), found by their slots.
    const masters = (await cluster.topology()).filter((n) => n.role === "master" && n.slots.length > 0);
    const tenantOn = new Map<number, string>();
    for (let i = 0; tenantOn.size < masters.length; i++) {
      const slot = keySlot(redisKeys.dirtyPersons(`t${i}`));
      const owner = masters.find((m) => m.slots.some(([a, b]) => a <= slot && slot <= b));
      if (owner && !tenantOn.has(owner.port)) tenantOn.set(owner.port, `t${i}`);
    }
    const master = (await cluster.masterPortOf(tenantSlot)) as number;
    const [replica] = await cluster.replicaPortsOf(master);
    // The replica is stopped and its link closed: nothing written on `master` from now on reaches it.
    cluster.signalNode(replica as number, "SIGSTOP");
    try {
      await cluster.command(master, "CLIENT", "KILL", "TYPE", "replica");
      const answers = await Promise.all(
        [...tenantOn].map(async ([port, tenant]) => {
          const outcome = await kb.core.store
            .createUser(tenant, userInput(`ada@${tenant}.example`), ctx)
            .then(
              () => "2xx",
              (err: unknown) => (isBridgeError(err, "Unavailable") ? "503" : String(err)),
            );
          return [port === master ? "unreplicated master" : "other master", outcome];
        }),
      );
      // A WAIT sent to any other node would have counted that node's healthy replica.
      expect(answers.sort()).toEqual([
        ["other master", "2xx"],
        ["other master", "2xx"],
        ["unreplicated master", "503"],
      ]);
    } finally {
      cluster.signalNode(replica as number, "SIGCONT");
    }
    await cluster.waitForReplicas(master, 1);
  }, 30_000);

  it("keeps SCIM audit records in the tenant's outbox until the chain's replica holds their move", async () => {
    // The outbox is in the tenant's slot, the chain in {kb:audit}'s: pick a tenant on another master,
    // so its own write is confirmed while the chain's master has no replica to confirm the move.
    const auditMaster = (await cluster.masterPortOf(keySlot(redisKeys.auditLog()))) as number;
    let tenant = "";
    for (let i = 0; !tenant; i++)
      if ((await cluster.masterPortOf(keySlot(redisKeys.dirtyPersons(`a${i}`)))) !== auditMaster)
        tenant = `a${i}`;
    const outbox = redisKeys.auditOutbox(tenant);
    const [replica] = await cluster.replicaPortsOf(auditMaster);
    cluster.signalNode(replica as number, "SIGSTOP");
    try {
      await cluster.command(auditMaster, "CLIENT", "KILL", "TYPE", "replica");
      await kb.core.store.createUser(tenant, userInput(`ada@${tenant}.example`), ctx);
      const waiting = await kb.core.redis.llen(outbox);
      expect(waiting).toBeGreaterThan(0);
      // Appended on the chain's master alone: a failover there could lose it, so it is not dropped.
      await expect(kb.core.auditOutbox.move(tenant)).rejects.toThrow(MSG_NOT_REPLICATED);
      expect(await kb.core.redis.llen(outbox)).toBe(waiting);
    } finally {
      cluster.signalNode(replica as number, "SIGCONT");
    }
    await cluster.waitForReplicas(auditMaster, 1);
    await kb.core.auditOutbox.move(tenant);
    expect(await kb.core.redis.llen(outbox)).toBe(0);
    expect((await verifyAudit(kb.core.redis)).ok).toBe(true);
  }, 30_000);

  it("loses no acknowledged change when the tenant's master dies with its replica cut off", async () => {
    // Leavers: granted first, deactivated while the failover happens.
    const groupId = await doorGroup();
    const leavers: string[] = [];
    for (let i = 0; i < LEAVERS; i++) {
      const u = await scim("POST", "/Users", entraUser(`leaver${i}@contoso.com`));
      expect(u.status).toBe(201);
      leavers.push(String(u.body.id));
    }
    const add = await scim("PATCH", `/Groups/${groupId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "Add", path: "members", value: leavers.map((value) => ({ value })) }],
    });
    expect(add.status).toBe(204);
    for (const id of leavers)
      await until("a leaver granted", 20_000, async () => ((await held(id)).length > 0 ? true : undefined));

    // Load: WRITERS clients each create a user as Entra does and disable it, over and over.
    const created = new Map<string, string>(); // id → userName, answered 2xx
    const deactivated = new Set<string>(); // ids whose disable was answered 2xx
    const statuses: number[] = [];
    let running = true;
    let n = 0;
    const writer = async () => {
      while (running) {
        const userName = `load${n++}@contoso.com`;
        let res: ScimAnswer | undefined;
        try {
          res = await scim("POST", "/Users", entraUser(userName));
        } catch {}
        statuses.push(res?.status ?? 0);
        if (res?.status !== 201) {
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        const id = String(res.body.id);
        created.set(id, userName);
        const status = await call(scim, "PATCH", `/Users/${id}`, ENTRA_DISABLE);
        statuses.push(status);
        if (status === 200) deactivated.add(id);
      }
    };
    // Each leaver is disabled like an IdP does it: retried until the answer is 2xx.
    const leaverAnswered = new Set<string>();
    const disableLeaver = async (id: string) => {
      while (running || !leaverAnswered.has(id)) {
        if ((await call(scim, "PATCH", `/Users/${id}`, ENTRA_DISABLE)) === 200) {
          leaverAnswered.add(id);
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const load = Array.from({ length: WRITERS }, writer);
    const master = (await cluster.masterPortOf(tenantSlot)) as number;
    const [replica] = await cluster.replicaPortsOf(master);
    expect(replica).toBeDefined();

    // Phases by answers, not by time (the machine may be loaded): load runs; then the replica is cut
    // off for up to 700 ms (under the 1 s node timeout, so it stays eligible for promotion): stopped,
    // and its link closed by the master, so writes from here on exist on the master alone.
    await until("load answered", 30_000, async () => (deactivated.size >= 4 ? true : undefined));
    cluster.signalNode(replica as number, "SIGSTOP");
    await cluster.command(master, "CLIENT", "KILL", "TYPE", "replica");
    const leaving = leavers.map(disableLeaver);
    const answeredBefore = statuses.length;
    const cut = Date.now();
    await until("answers while the replica was cut off", 2_000, async () =>
      statuses.length >= answeredBefore + 16 || Date.now() - cut > 700 ? true : undefined,
    );
    cluster.signalNode(master, "SIGKILL");
    cluster.signalNode(replica as number, "SIGCONT");
    expect(await cluster.waitForNewMaster(tenantSlot, master)).toBe(replica);
    // The promoted replica has no replica of its own: until one is back, nothing can be confirmed and
    // the tenant's writes are answered 503. The dead master restarts (as a crashed pod would) and
    // rejoins as its replica.
    await cluster.restartNode(master);
    await cluster.waitForReplicas(replica as number, 1);
    // Keep the load on until writes succeed again on the new master.
    const okBefore = created.size;
    await until("writes succeed on the new master", 30_000, async () =>
      created.size >= okBefore + 20 ? true : undefined,
    );
    running = false;
    await Promise.all([...load, ...leaving]);
    expect(statuses.filter((s) => s !== 201 && s !== 200 && s !== 503)).toEqual([]);
    expect(statuses).toContain(503); // the window without a replica was answered 503, not 2xx

    // Every change answered 2xx is on the new master, as answered.
    const lost: string[] = [];
    for (const [id, userName] of created) {
      const got = await scim("GET", `/Users/${id}`);
      if (got.status !== 200 || got.body.userName !== userName)
        lost.push(`created ${userName}: ${got.status}`);
      else if (deactivated.has(id) && got.body.active !== false) lost.push(`deactivated ${userName}`);
    }
    for (const id of leavers) {
      const got = await scim("GET", `/Users/${id}`);
      if (got.body.active !== false) lost.push(`leaver ${id}`);
    }
    expect(lost).toEqual([]);

    // Every leaver is revoked in the key system's own state. A leaver's enqueue may have died with the
    // master; the change itself (and its dirty-set entry) survived, and the dirty-set sweeper
    // re-enqueues it: run one sweep now rather than wait for its 30 s period.
    const sweeper = startDirtySweeper({ ...kb.core, staleAfterMs: 0, everyMs: 3_600_000 });
    await sweeper.sweepOnce();
    await sweeper.close();
    for (const id of leavers)
      await until("a leaver revoked", 20_000, async () => ((await held(id)).length === 0 ? true : undefined));

    const audit = await verifyAudit(kb.core.redis);
    expect(audit.firstBad).toBeUndefined();
    expect(audit.ok).toBe(true);
  }, 90_000);
});

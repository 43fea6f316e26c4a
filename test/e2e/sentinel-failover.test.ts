// keybridge on Redis Sentinel, built through src/runtime as `keybridge start` runs it: it serves SCIM
// and reconciles through the sentinels, and a failover under load loses no change an IdP was told
// succeeded. Under load, the replicas stop (SIGSTOP) so nothing can be confirmed, then the master dies
// (SIGKILL) and a replica is promoted. keybridge must answer what replicas did not confirm with 503
// (redis.waitReplicas), never 2xx; every 2xx must be on the new master. Requests answered 503 may be
// absent — the IdP retries. (A stopped replica's kernel still buffers the replication stream, so this
// scenario rarely loses an unconfirmed write by itself; the 503s it forces are what it checks.)
import { join } from "node:path";
import { holderExternalId } from "../../src/access/holder-spec";
import { verifyAudit } from "../../src/audit/verify-audit";
import { startDirtySweeper } from "../../src/reconcile/dirty-sweeper";
import { redisKeys } from "../../src/store/redis-keys";
import { startTestSentinels, type TestSentinelSet } from "../helpers/test-redis-sentinel";
import { type E2eKeybridge, e2eConfig, type ScimAnswer, startKeybridge } from "./e2e-processes";

const ROOT = join(__dirname, "../..");
const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const DEACTIVATE = { schemas: [PATCH_OP], Operations: [{ op: "Replace", path: "active", value: false }] };
const LEAVERS = 8;
const WRITERS = 8;

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

describe("keybridge on Redis Sentinel", () => {
  let set: TestSentinelSet;
  let kb: E2eKeybridge;
  let scim: Scim;

  const held = async (personId: string) => {
    const seen = await kb.driver("demo").observe(holderExternalId("demo", "demo", personId));
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
    set = await startTestSentinels();
    kb = await startKeybridge(
      e2eConfig({
        // Unused with sentinels: nothing listens here, so a client that ignored them would fail.
        redisUrl: "redis://127.0.0.1:1",
        redis: { sentinels: set.sentinels, sentinelName: set.name },
        mappingsDir: join(ROOT, "mappings"),
        tenants: [{ id: "demo", displayName: "Demo", kind: "entra" }],
        keySystems: { demo: { options: { programmingDelayMs: 20, propagationDelayMs: 20 } } },
        reconcile: { backoffMs: 50, confirmAfterMs: 100, lockDurationMs: 2000, stalledIntervalMs: 500 },
      }),
      "start",
    );
    scim = await kb.scim("demo");
  }, 60_000);

  afterAll(async () => {
    set?.resumeReplicas();
    await kb?.close();
    await set?.stop();
  });

  it("serves SCIM and grants through the sentinels, each write already on a replica when answered", async () => {
    expect(kb.config.redis.sentinels).toEqual(set.sentinels);
    const user = await scim("POST", "/Users", {
      schemas: [USER_SCHEMA],
      userName: "ada@example.org",
      active: true,
    });
    expect(user.status).toBe(201);
    const id = String(user.body.id);
    // redis.waitReplicas defaults to 1 with sentinels: the answer came after a replica confirmed.
    const master = await set.masterPort();
    const replicas = (await set.command(master, "INFO", "replication")).match(/port=(\d+)/g) ?? [];
    const onReplicas = await Promise.all(
      replicas.map(async (r) => set.command(Number(r.slice(5)), "EXISTS", redisKeys.user("demo", id))),
    );
    expect(onReplicas).toHaveLength(2);
    expect(onReplicas).toContain(":1\r\n");
    const add = await scim("PATCH", `/Groups/${await doorGroup()}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "Add", path: "members", value: [{ value: id }] }],
    });
    expect(add.status).toBe(204);
    await until("the door granted", 20_000, async () => ((await held(id)).length > 0 ? true : undefined));
  }, 40_000);

  it("loses no acknowledged change when the master dies with its replicas behind", async () => {
    // Leavers: granted first, deactivated while the failover happens.
    const groupId = await doorGroup();
    const leavers: string[] = [];
    for (let i = 0; i < LEAVERS; i++) {
      const u = await scim("POST", "/Users", {
        schemas: [USER_SCHEMA],
        userName: `leaver${i}@example.org`,
        active: true,
      });
      leavers.push(String(u.body.id));
    }
    const add = await scim("PATCH", `/Groups/${groupId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "Add", path: "members", value: leavers.map((value) => ({ value })) }],
    });
    expect(add.status).toBe(204);
    for (const id of leavers)
      await until("a leaver granted", 20_000, async () => ((await held(id)).length > 0 ? true : undefined));

    // Load: WRITERS clients each POST a user and PATCH it inactive, over and over.
    const created = new Map<string, string>(); // id → userName, answered 2xx
    const deactivated = new Set<string>(); // ids whose PATCH active=false was answered 2xx
    const statuses: number[] = [];
    let running = true;
    let n = 0;
    const writer = async () => {
      while (running) {
        const userName = `load${n++}@example.org`;
        let res: ScimAnswer | undefined;
        try {
          res = await scim("POST", "/Users", { schemas: [USER_SCHEMA], userName, active: true });
        } catch {}
        statuses.push(res?.status ?? 0);
        if (res?.status !== 201) {
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
        const id = String(res.body.id);
        created.set(id, userName);
        const status = await call(scim, "PATCH", `/Users/${id}`, DEACTIVATE);
        statuses.push(status);
        if (status === 200) deactivated.add(id);
      }
    };
    // Each leaver is deactivated like an IdP does it: retried until the answer is 2xx.
    const leaverAnswered = new Set<string>();
    const deactivateLeaver = async (id: string) => {
      while (running || !leaverAnswered.has(id)) {
        if ((await call(scim, "PATCH", `/Users/${id}`, DEACTIVATE)) === 200) {
          leaverAnswered.add(id);
          return;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const load = Array.from({ length: WRITERS }, writer);
    // Phases by answers, not by time (the machine may be loaded): load runs, then the replicas stop
    // for up to 900 ms (under the sentinels' 1 s down-after: they stay eligible for promotion).
    await until("load answered", 30_000, async () => (deactivated.size >= 4 ? true : undefined));
    await set.pauseReplicas();
    const leaving = leavers.map(deactivateLeaver);
    const answeredBefore = statuses.length;
    const paused = Date.now();
    await until("answers while the replicas stopped", 2_000, async () =>
      statuses.length >= answeredBefore + 16 || Date.now() - paused > 900 ? true : undefined,
    );
    const oldMaster = await set.killMaster();
    set.resumeReplicas();
    await set.waitForNewMaster(oldMaster);
    // Keep the load on until writes succeed again on the new master.
    const okBefore = created.size;
    await until("writes succeed on the new master", 20_000, async () =>
      created.size >= okBefore + 20 ? true : undefined,
    );
    running = false;
    await Promise.all([...load, ...leaving]);
    expect(statuses.filter((s) => s !== 201 && s !== 200 && s !== 503)).toEqual([]);
    expect(statuses).toContain(503); // the window without replicas was answered 503, not 2xx

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

    // Every leaver is revoked in the key system. A leaver's enqueue may have died with the master; the
    // change itself (and its dirty-set entry) survived, and the dirty-set sweeper re-enqueues it: run
    // one sweep now rather than wait for its 30 s period.
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

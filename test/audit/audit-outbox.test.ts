// No committed change without its audit record (issue #9 item 6): the directory write appends its
// SCIM record to the tenant's audit outbox in the same script, and movers in any process put it on
// the chain exactly once, in commit order — also when the first move fails or the mover dies half-way.
import type { RedisClient } from "../../src/store/create-redis-client";
import { Redis } from "ioredis";
import { AuditOutbox, startOutboxMover, withinMoveBudget } from "../../src/audit/audit-outbox";
import type { AuditRecord } from "../../src/audit/audit-record";
import { AuditTrail } from "../../src/audit/audit-trail";
import { verifyAudit } from "../../src/audit/verify-audit";
import { silentLogger } from "../../src/log/logger";
import { RedisDirectoryStore } from "../../src/store/directory-store";
import { CORE_GROUP_URN, CORE_USER_URN } from "../../src/store/directory-types";
import { redisKeys } from "../../src/store/redis-keys";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";

let server: TestRedis;
let redis: RedisClient;
let store: RedisDirectoryStore;

beforeAll(async () => {
  server = await startTestRedis();
  redis = server.client();
  store = new RedisDirectoryStore({ redis });
});
afterAll(() => server.stop());
beforeEach(() => server.flush());

/** One process's mover: its own connection, trail and outbox. */
function mover(client: RedisClient = server.client()) {
  const audit = new AuditTrail({ redis: client });
  return { audit, outbox: new AuditOutbox({ redis: client, audit, logger: silentLogger() }) };
}

async function chain(): Promise<AuditRecord[]> {
  return (await redis.xrange(redisKeys.auditLog(), "-", "+")).map(([, f]) => JSON.parse(f[1] ?? "{}"));
}

/** A leaver's lifecycle over SCIM, as the store commits it; returns the user id. */
async function leaver(n = 1): Promise<string> {
  const ctx = { correlationId: `req-${n}` };
  const user = await store.createUser(
    "acme",
    { schemas: [CORE_USER_URN], userName: `leaver${n}`, active: true },
    ctx,
  );
  const id = user.resource.id;
  await store.createGroup("acme", { schemas: [CORE_GROUP_URN], displayName: `Staff${n}` }, [id], ctx);
  await store.updateUser("acme", id, ({ id: _i, meta: _m, ...u }) => ({ ...u, active: false }), {
    correlationId: `req-${n}-off`,
  });
  return id;
}

test("a committed change carries its record even if no process ever audits it after the commit", async () => {
  const id = await leaver();
  // The process died right after the commits: nothing on the chain, everything in the outbox.
  expect(await chain()).toEqual([]);
  expect(await redis.llen(redisKeys.auditOutbox("acme"))).toBe(3);

  expect(await mover().outbox.move("acme")).toBe(3);
  const records = await chain();
  expect(records.map((r) => r.type)).toEqual([
    "scim.user.created",
    "scim.group.created",
    "scim.user.deactivated",
  ]);
  expect(records[2]).toMatchObject({
    tenant: "acme",
    actor: "idp:acme",
    subject: { kind: "person", id },
    correlationId: "req-1-off",
    outcome: "success",
    data: { operation: "patch", persons: [{ personId: id, kind: "deactivated", generation: 3 }] },
  });
  expect(await redis.llen(redisKeys.auditOutbox("acme"))).toBe(0);
  expect((await verifyAudit(redis)).ok).toBe(true);
});

test("a move that fails after the commit (Redis gone for the mover) is made later, exactly once", async () => {
  await leaver();
  // The mover's connection is down (enableOfflineQueue false: commands fail at once, no retries).
  const broken = mover(new Redis(server.url, { lazyConnect: true, enableOfflineQueue: false }));
  await expect(broken.outbox.move("acme")).rejects.toThrow();
  expect(await chain()).toEqual([]);

  await mover().outbox.move("acme");
  await mover().outbox.move("acme"); // a second pass finds nothing left
  expect((await chain()).map((r) => r.type)).toEqual([
    "scim.user.created",
    "scim.group.created",
    "scim.user.deactivated",
  ]);
});

test("a mover that dies between the chain append and the outbox trim never duplicates a record", async () => {
  await leaver();
  // What a mover does before dying: the chain append (with the moved mark), but not the trim.
  const entries = await redis.lrange(redisKeys.auditOutbox("acme"), 0, -1);
  const first = JSON.parse(entries[0]?.slice(entries[0].indexOf("|") + 1) ?? "{}");
  expect(await mover().audit.appendOutbox([first], { tenant: "acme", expect: 0, next: 1 })).toBe(true);
  expect(await redis.llen(redisKeys.auditOutbox("acme"))).toBe(3);

  expect(await mover().outbox.move("acme")).toBe(2);
  expect((await chain()).map((r) => r.type)).toEqual([
    "scim.user.created",
    "scim.group.created",
    "scim.user.deactivated",
  ]);
  expect(await redis.llen(redisKeys.auditOutbox("acme"))).toBe(0);
});

test("movers in several processes at once put every record on the chain once, in commit order", async () => {
  const ids: string[] = [];
  for (let n = 1; n <= 20; n++) ids.push(await leaver(n));
  const movers = [mover(), mover(), mover()];
  await Promise.all(movers.flatMap((m) => [m.outbox.move("acme"), m.outbox.move("acme")]));
  const records = await chain();
  expect(records).toHaveLength(60);
  const deactivations = records.filter((r) => r.type === "scim.user.deactivated").map((r) => r.subject.id);
  expect(deactivations).toEqual(ids);
  expect(records.map((r) => r.correlationId)).toEqual(
    ids.flatMap((_, i) => [`req-${i + 1}`, `req-${i + 1}`, `req-${i + 1}-off`]),
  );
  expect((await verifyAudit(redis)).ok).toBe(true);
});

test("a write that changes nothing leaves no record; a group's attribute change leaves one", async () => {
  const ctx = { correlationId: "req-g" };
  const group = await store.createGroup("acme", { schemas: [CORE_GROUP_URN], displayName: "Lab" }, [], ctx);
  await store.changeMembers("acme", group.resource.id, { remove: ["nobody"] }, ctx);
  await store.updateGroup(
    "acme",
    group.resource.id,
    ({ id: _i, meta: _m, ...g }) => ({ ...g, description: "wet lab" }),
    ctx,
  );
  await mover().outbox.move("acme");
  expect((await chain()).map((r) => [r.type, r.data?.persons])).toEqual([
    ["scim.group.created", []],
    ["scim.group.updated", []],
  ]);
});

test("the periodic mover every API and worker process runs picks up records another process left", async () => {
  await leaver();
  const running = startOutboxMover(mover().outbox, async () => ["other", "acme"], 50);
  try {
    for (let i = 0; i < 100 && (await chain()).length < 3; i++) await new Promise((r) => setTimeout(r, 20));
  } finally {
    await running.close();
  }
  expect((await chain()).map((r) => r.type)).toEqual([
    "scim.user.created",
    "scim.group.created",
    "scim.user.deactivated",
  ]);
});

test("a group change naming 1,200 persons goes on the chain as three records of one change, verified", async () => {
  const ids: string[] = [];
  for (let i = 0; i < 1_200; i += 100)
    ids.push(
      ...(
        await Promise.all(
          Array.from({ length: 100 }, (_, j) =>
            store.createUser(
              "acme",
              { schemas: [CORE_USER_URN], userName: `m${i + j}`, active: true },
              { correlationId: "seed" },
            ),
          ),
        )
      ).map((u) => u.resource.id),
    );
  await store.createGroup("acme", { schemas: [CORE_GROUP_URN], displayName: "Everyone" }, ids, {
    correlationId: "push-1",
  });
  // The mover takes as many entries per chain append as fit its budget, and they all get there.
  await mover().outbox.move("acme");
  const change = (await chain()).filter((r) => r.correlationId === "push-1");
  expect(change.map((r) => [r.type, (r.data as { part?: unknown }).part])).toEqual([
    ["scim.group.created", { index: 1, of: 3 }],
    ["scim.group.created", { index: 2, of: 3 }],
    ["scim.group.created", { index: 3, of: 3 }],
  ]);
  const named = change.flatMap((r) =>
    (r.data as { persons: { personId: string }[] }).persons.map((p) => p.personId),
  );
  expect(named.sort()).toEqual([...ids].sort());
  expect(await redis.llen(redisKeys.auditOutbox("acme"))).toBe(0);
  expect((await verifyAudit(redis)).ok).toBe(true);
});

test("withinMoveBudget keeps the first entry however long, then what fits", () => {
  const big = "x".repeat(200 * 1024);
  const small = "y".repeat(30 * 1024);
  expect(withinMoveBudget([big, small])).toEqual([big]);
  expect(withinMoveBudget([small, small, small, small])).toEqual([small, small, small]);
  expect(withinMoveBudget(["a", "b"])).toEqual(["a", "b"]);
});

// AuditTrail on a private Redis: records chain in order, concurrent writers never fork the chain,
// secrets and e-mails never reach the trail, and an AOF restart loses nothing.
import type { RedisClient } from "../../src/store/create-redis-client";
import { Redis } from "ioredis";
import { auditTypes } from "../../src/audit/audit-catalog";
import { type AuditRecord, GENESIS_HASH, hashRecord } from "../../src/audit/audit-record";
import { AuditTrail } from "../../src/audit/audit-trail";
import { verifyAudit } from "../../src/audit/verify-audit";
import { redisKeys } from "../../src/store/redis-keys";
import { freePort, startTestRedis, type TestRedis } from "../helpers/test-redis";
import { readEntries, steppingClock, userEvent } from "./audit-fixtures";

let server: TestRedis;
let redis: RedisClient;

beforeAll(async () => {
  server = await startTestRedis({ appendOnly: true });
  redis = server.client();
});
afterAll(() => server.stop());
beforeEach(() => server.flush());

async function records(): Promise<AuditRecord[]> {
  return (await readEntries(redis)).map((t) => JSON.parse(t) as AuditRecord);
}

test("records get consecutive seqs, the injected time, and each holds the hash of the one before", async () => {
  const trail = new AuditTrail({ redis, clock: steppingClock("2026-03-01T10:00:00.000Z") });
  await trail.append(userEvent(1, { reason: "attribute change" }));
  await trail.append(userEvent(2));
  const [first, second] = await records();
  expect(first).toMatchObject({
    v: 1,
    seq: 1,
    time: "2026-03-01T10:00:00.000Z",
    type: "scim.user.updated",
    tenant: "acme",
    actor: "idp:acme",
    subject: { kind: "person", id: "p1" },
    reason: "attribute change",
    correlationId: "req-1",
    outcome: "success",
    data: { i: 1 },
    prevHash: GENESIS_HASH,
  });
  expect(first!.hash).toBe(hashRecord(first!));
  expect(second).toMatchObject({ seq: 2, time: "2026-03-01T10:00:01.000Z", prevHash: first!.hash });
});

test("a type outside the catalog is refused and writes nothing", async () => {
  const trail = new AuditTrail({ redis });
  await expect(trail.append(userEvent(1, { type: "scim.user.renamed" }))).rejects.toMatchObject({
    code: "BRIDGE_INVALID_VALUE",
  });
  expect(await readEntries(redis)).toHaveLength(0);
});

test("secrets and e-mail addresses are redacted; userName and token ids stay", async () => {
  const trail = new AuditTrail({ redis });
  await trail.append({
    type: auditTypes.scimUserCreated,
    actor: "idp:acme",
    subject: { kind: "person", id: "p1" },
    outcome: "success",
    data: {
      userName: "alice@example.org",
      emails: [{ value: "alice@example.org" }],
      nested: { Authorization: "Bearer abc", apiKey: "k", clientSecret: "s", headerEcho: "Basic dXNlcjpw" },
      password: "hunter2",
      tokenId: "tok-1",
    },
  });
  const [record] = await records();
  expect(record!.data).toEqual({
    userName: "alice@example.org",
    emails: "[redacted]",
    nested: {
      Authorization: "[redacted]",
      apiKey: "[redacted]",
      clientSecret: "[redacted]",
      headerEcho: "[redacted]",
    },
    password: "[redacted]",
    tokenId: "tok-1",
  });
});

test("time never goes backwards along the chain even if a clock does", async () => {
  const times = ["2026-03-01T10:00:05.000Z", "2026-03-01T10:00:01.000Z", "2026-03-01T10:00:07.000Z"];
  const trail = new AuditTrail({ redis, clock: { now: () => new Date(times.shift()!) } });
  for (let i = 0; i < 3; i++) await trail.append(userEvent(i));
  expect((await records()).map((r) => r.time)).toEqual([
    "2026-03-01T10:00:05.000Z",
    "2026-03-01T10:00:05.000Z",
    "2026-03-01T10:00:07.000Z",
  ]);
});

test("many concurrent appends from two clients form one unbroken chain, each client's in call order", async () => {
  const a = new AuditTrail({ redis: server.client(), maxBatch: 7 });
  const b = new AuditTrail({ redis: server.client(), maxBatch: 1 });
  const n = 400;
  await Promise.all([
    ...Array.from({ length: n }, (_, i) => a.append(userEvent(i, { actor: "worker:a" }))),
    ...Array.from({ length: n }, (_, i) => b.append(userEvent(i, { actor: "worker:b" }))),
  ]);
  const result = await verifyAudit(redis);
  expect(result).toMatchObject({ ok: true, count: 2 * n });
  const all = await records();
  expect(all.map((r) => r.seq)).toEqual(Array.from({ length: 2 * n }, (_, i) => i + 1));
  for (const actor of ["worker:a", "worker:b"]) {
    const order = all.filter((r) => r.actor === actor).map((r) => r.data?.i);
    expect(order).toEqual(Array.from({ length: n }, (_, i) => i));
  }
});

test("a trail that another process advanced still appends on the right head", async () => {
  const a = new AuditTrail({ redis });
  const b = new AuditTrail({ redis: server.client() });
  await a.append(userEvent(1));
  await b.append(userEvent(2));
  await a.append(userEvent(3)); // a's cached head is stale: the compare-and-set must catch it
  expect(await verifyAudit(redis)).toMatchObject({ ok: true, count: 3 });
});

test("a Redis restart with AOF loses no appended record and the chain continues", async () => {
  const trail = new AuditTrail({ redis });
  for (let i = 0; i < 50; i++) await trail.append(userEvent(i));
  await server.restart();
  const fresh = server.client();
  expect(await verifyAudit(fresh)).toMatchObject({ ok: true, count: 50 });
  await new AuditTrail({ redis: fresh }).append(userEvent(50));
  expect(await verifyAudit(fresh)).toMatchObject({ ok: true, count: 51, head: { seq: 51 } });
});

test("appends refuse to start a new chain over records whose head key was deleted", async () => {
  const trail = new AuditTrail({ redis });
  await trail.append(userEvent(1));
  await redis.del(redisKeys.auditHead());
  await expect(new AuditTrail({ redis }).append(userEvent(2))).rejects.toMatchObject({
    code: "BRIDGE_PRECONDITION_FAILED",
  });
  expect(await readEntries(redis)).toHaveLength(1);
});

test("a Redis that cannot be reached rejects the append as unavailable", async () => {
  const port = await freePort(); // nothing listens there
  const dead = new Redis({
    port,
    host: "127.0.0.1",
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  await expect(new AuditTrail({ redis: dead }).append(userEvent(1))).rejects.toMatchObject({
    code: "BRIDGE_UNAVAILABLE",
  });
  dead.disconnect();
});

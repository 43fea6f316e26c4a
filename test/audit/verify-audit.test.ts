// verifyAudit names the seq and the kind of every tampering an operator with Redis access could do.
import type { RedisClient } from "../../src/store/create-redis-client";
import { type AuditRecord, sealRecord, serializeRecord } from "../../src/audit/audit-record";
import { AuditTrail } from "../../src/audit/audit-trail";
import { HEAD_BEHIND, HEAD_MISSING, LINK_BROKEN, verifyAudit } from "../../src/audit/verify-audit";
import { redisKeys } from "../../src/store/redis-keys";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { readEntries, steppingClock, tamper, userEvent } from "./audit-fixtures";

let server: TestRedis;
let redis: RedisClient;
const N = 12;

beforeAll(async () => {
  server = await startTestRedis();
  redis = server.client();
});
afterAll(() => server.stop());
beforeEach(async () => {
  await server.flush();
  const trail = new AuditTrail({ redis, clock: steppingClock() });
  for (let i = 1; i <= N; i++) await trail.append(userEvent(i));
});

const parse = (text: string) => JSON.parse(text) as AuditRecord;
/** Re-seals a record as a careful forger would, so its own hash checks out. */
const reseal = (record: AuditRecord) => serializeRecord(sealRecord({ ...record, hash: undefined } as never));
const swap = (texts: string[], i: number, j: number) => {
  const out = [...texts];
  [out[i], out[j]] = [texts[j]!, texts[i]!];
  return out;
};

test("an untouched trail verifies, with its count and head", async () => {
  const result = await verifyAudit(redis, { pageSize: 5 });
  expect(result).toEqual({
    ok: true,
    count: N,
    head: { seq: N, hash: parse((await readEntries(redis))[N - 1]!).hash },
  });
});

test("an empty trail verifies", async () => {
  await server.flush();
  expect(await verifyAudit(redis)).toMatchObject({ ok: true, count: 0 });
});

test("editing a record's data is found at that seq", async () => {
  await tamper(redis, (t) => t.map((x, i) => (i === 4 ? x.replace('"i":5', '"i":500') : x)));
  expect((await verifyAudit(redis, { pageSize: 3 })).firstBad).toEqual({ seq: 5, problem: "changed" });
});

test("editing a record and re-sealing its hash is still found at that seq", async () => {
  await tamper(redis, (t) => t.map((x, i) => (i === 4 ? reseal({ ...parse(x), outcome: "failure" }) : x)));
  expect((await verifyAudit(redis)).firstBad).toEqual({ seq: 5, problem: "changed", detail: LINK_BROKEN });
});

test("editing the last record and re-sealing it is found against the head", async () => {
  await tamper(redis, (t) => t.map((x, i) => (i === N - 1 ? reseal({ ...parse(x), actor: "nobody" }) : x)));
  expect((await verifyAudit(redis)).firstBad).toEqual({ seq: N, problem: "changed" });
});

test("deleting a record is found at its seq", async () => {
  await redis.xdel(redisKeys.auditLog(), "6-0");
  expect((await verifyAudit(redis)).firstBad).toEqual({ seq: 6, problem: "removed" });
});

test("deleting the first record is found at seq 1", async () => {
  await redis.xdel(redisKeys.auditLog(), "1-0");
  expect((await verifyAudit(redis)).firstBad).toEqual({ seq: 1, problem: "removed" });
});

test("deleting the last record is found against the head", async () => {
  await redis.xdel(redisKeys.auditLog(), `${N}-0`);
  expect((await verifyAudit(redis)).firstBad).toEqual({ seq: N, problem: "removed" });
});

test("swapping two neighbours is found at the first", async () => {
  await tamper(redis, (t) => swap(t, 3, 4));
  expect((await verifyAudit(redis, { pageSize: 2 })).firstBad).toEqual({ seq: 4, problem: "reordered" });
});

test("swapping the last two records is found at the first of them", async () => {
  await tamper(redis, (t) => swap(t, N - 2, N - 1));
  expect((await verifyAudit(redis)).firstBad).toEqual({ seq: N - 1, problem: "reordered" });
});

test("swapping two distant records is found at the earlier one", async () => {
  await tamper(redis, (t) => swap(t, 2, 9));
  expect((await verifyAudit(redis, { pageSize: 4 })).firstBad).toEqual({ seq: 3, problem: "reordered" });
});

test("a forged record chained into the middle is found where it sits", async () => {
  await tamper(redis, (t) => {
    const forged = reseal({ ...parse(t[6]!), data: { i: 999 } }); // seq 7, prevHash of seq 6
    return [...t.slice(0, 6), forged, ...t.slice(6)];
  });
  expect((await verifyAudit(redis)).firstBad).toEqual({ seq: 7, problem: "inserted" });
});

test("a foreign line slipped between two records is found as inserted", async () => {
  await tamper(redis, (t) => [...t.slice(0, 3), '{"note":"not a record"}', ...t.slice(3)]);
  expect((await verifyAudit(redis)).firstBad).toEqual({ seq: 4, problem: "inserted" });
});

test("a duplicated record is found as inserted", async () => {
  await tamper(redis, (t) => [...t.slice(0, 8), t[7]!, ...t.slice(8)]);
  expect((await verifyAudit(redis)).firstBad).toEqual({ seq: 9, problem: "inserted" });
});

test("a deleted head key is reported, since a cut-off tail could no longer be seen", async () => {
  await redis.del(redisKeys.auditHead());
  expect((await verifyAudit(redis)).firstBad).toEqual({
    seq: N + 1,
    problem: "removed",
    detail: HEAD_MISSING,
  });
});

test("a fully rewritten chain passes on its own but not against an anchor kept outside Redis", async () => {
  const anchor = (await verifyAudit(redis)).head;
  const texts = (await readEntries(redis)).map(parse);
  let prevHash = texts[1]!.hash;
  const rewritten = texts.map((r, i) => {
    if (i < 2) return serializeRecord(r);
    const sealed = sealRecord({ ...r, hash: undefined, prevHash, actor: "nobody" } as never);
    prevHash = sealed.hash;
    return serializeRecord(sealed);
  });
  await tamper(redis, () => rewritten);
  const last = parse(rewritten[N - 1]!);
  await redis.hset(redisKeys.auditHead(), "seq", last.seq, "hash", last.hash);
  expect(await verifyAudit(redis)).toMatchObject({ ok: true });
  expect((await verifyAudit(redis, { anchor })).firstBad).toMatchObject({ seq: N, problem: "changed" });
});

test("a record appended past the head without moving it is found as inserted", async () => {
  const last = parse((await readEntries(redis))[N - 1]!);
  const forged = sealRecord({ ...last, hash: undefined, seq: N + 1, prevHash: last.hash } as never);
  await redis.xadd(redisKeys.auditLog(), `${N + 1}-0`, "r", serializeRecord(forged));
  expect((await verifyAudit(redis)).firstBad).toEqual({
    seq: N + 1,
    problem: "inserted",
    detail: HEAD_BEHIND,
  });
});

describe("on a running system", () => {
  /** `redis`, except that the first stream read waits for `before` (an append racing the verify). */
  const racing = (before: () => Promise<unknown>): RedisClient => {
    let fired = false;
    return new Proxy(redis, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target);
        if (prop !== "xrange" || fired) return typeof value === "function" ? value.bind(target) : value;
        return async (...args: unknown[]) => {
          fired = true;
          await before();
          return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        };
      },
    });
  };

  test("records appended while verify runs are not reported as tampering", async () => {
    const trail = new AuditTrail({ redis, clock: steppingClock("2026-02-01T00:00:00.000Z") });
    const result = await verifyAudit(
      racing(() => trail.append(userEvent(N + 1))),
      { pageSize: 5 },
    );
    // The verify covers the chain as it was when it started; the later record is outside it.
    expect(result).toEqual({
      ok: true,
      count: N,
      head: { seq: N, hash: parse((await readEntries(redis))[N - 1]!).hash },
    });
    expect(await verifyAudit(redis)).toMatchObject({ ok: true, count: N + 1 });
  });

  test("repeated verifies during a stream of appends from another connection are all ok", async () => {
    const writer = server.client();
    const trail = new AuditTrail({ redis: writer, clock: steppingClock("2026-02-01T00:00:00.000Z") });
    let appending = true;
    const appends = (async () => {
      for (let i = N + 1; i <= N + 150; i++) await trail.append(userEvent(i));
      appending = false;
    })();
    const results = [];
    while (appending) results.push(await verifyAudit(redis, { pageSize: 10 }));
    await appends;
    writer.disconnect();
    expect(results.length).toBeGreaterThan(1);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(await verifyAudit(redis)).toMatchObject({ ok: true });
  });
});

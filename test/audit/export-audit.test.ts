// exportAudit writes the stored records as JSON Lines, filtered by time window, person and tenant,
// reading in pages and waiting for a slow reader.
import { PassThrough, Writable } from "node:stream";
import type { RedisClient } from "../../src/store/create-redis-client";
import { type AuditRecord, GENESIS_HASH, hashRecord } from "../../src/audit/audit-record";
import { AuditTrail } from "../../src/audit/audit-trail";
import { exportAudit, readAuditRecords } from "../../src/audit/export-audit";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { steppingClock, userEvent } from "./audit-fixtures";

let server: TestRedis;
let redis: RedisClient;
const N = 60;

beforeAll(async () => {
  server = await startTestRedis();
  redis = server.client();
  // One record a minute from 00:00; tenant "acme" for even i, "globex" for odd; persons p0..p4.
  const trail = new AuditTrail({ redis, clock: steppingClock("2026-02-01T00:00:00.000Z", 60_000) });
  for (let i = 0; i < N; i++) await trail.append(userEvent(i, { tenant: i % 2 === 0 ? "acme" : "globex" }));
  await trail.append({
    type: "scim.membership.changed",
    tenant: "acme",
    actor: "idp:acme",
    subject: { kind: "group", id: "g1" },
    outcome: "success",
    data: { added: true, personIds: ["p3", "p9"] },
  });
});
afterAll(() => server.stop());

async function exportLines(filter: Parameters<typeof exportAudit>[1], pageSize = 7) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const result = await exportAudit(redis, filter, out, { pageSize });
  out.end();
  const text = Buffer.concat(chunks).toString("utf8");
  return {
    result,
    text,
    records: text
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as AuditRecord),
  };
}

const at = (minute: number) => new Date(Date.parse("2026-02-01T00:00:00.000Z") + minute * 60_000);

test("an unfiltered export is the whole chain, one record per line, verifiable from the lines alone", async () => {
  const { result, text, records } = await exportLines({});
  expect(result).toEqual({ count: N + 1, skipped: 0 });
  expect(text.endsWith("\n")).toBe(true);
  let prev = GENESIS_HASH;
  for (const [i, r] of records.entries()) {
    expect(r.seq).toBe(i + 1);
    expect(r.prevHash).toBe(prev);
    expect(hashRecord(r)).toBe(r.hash);
    prev = r.hash;
  }
});

test("since is inclusive and until exclusive, so consecutive windows neither overlap nor leave gaps", async () => {
  const first = await exportLines({ since: at(10), until: at(20) });
  const second = await exportLines({ since: at(20), until: at(30) });
  expect(first.records.map((r) => r.seq)).toEqual(Array.from({ length: 10 }, (_, i) => 11 + i));
  expect(second.records.map((r) => r.seq)).toEqual(Array.from({ length: 10 }, (_, i) => 21 + i));
});

test("a window before the first or after the last record exports nothing", async () => {
  expect((await exportLines({ until: at(0) })).result.count).toBe(0);
  expect((await exportLines({ since: at(N + 5) })).result.count).toBe(0);
});

test("the person filter takes records about that person, including group changes naming them", async () => {
  const { records } = await exportLines({ person: "p3" });
  expect(records.every((r) => r.subject.id === "p3" || r.type === "scim.membership.changed")).toBe(true);
  expect(records).toHaveLength(N / 5 + 1);
  expect(records[records.length - 1]!.type).toBe("scim.membership.changed");
});

test("tenant, person and window combine", async () => {
  const { records } = await exportLines({ tenant: "globex", person: "p1", since: at(0), until: at(30) }, 3);
  // p1 is i % 5 === 1, globex is odd i: i = 1, 11, 21 before minute 30.
  expect(records.map((r) => r.data?.i)).toEqual([1, 11, 21]);
});

test("a slow reader is waited for instead of buffering the whole trail", async () => {
  let written = 0;
  const slow = new Writable({
    highWaterMark: 64,
    write(chunk: Buffer, _enc, done) {
      written += chunk.toString().split("\n").length - 1;
      setTimeout(done, 1);
    },
  });
  let drains = 0;
  slow.on("drain", () => drains++);
  const result = await exportAudit(redis, {}, slow, { pageSize: 10 });
  await new Promise<void>((resolve) => slow.end(resolve));
  expect(written).toBe(result.count);
  expect(drains).toBeGreaterThan(0);
});

test("readAuditRecords returns the matching records as objects, up to a limit", async () => {
  const records = await readAuditRecords(redis, { tenant: "acme", person: "p0" }, 3);
  expect(records.map((r) => r.data?.i)).toEqual([0, 10, 20]);
});

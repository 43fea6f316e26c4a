// A resync batch writes its converged persons' bookkeeping in one script (settle-converged.ts). It must
// do for each person exactly what the two per-person scripts did in a row — the ledger compare-and-set
// (GrantLedger.writeHolderIfUnchanged), then, only if that wrote, DirtySet.markReconciled — or a batch
// could drop a person from the dirty set whose change still needs a run, or overwrite a ledger that a
// person's own run just wrote. Checked side by side on real Redis, one tenant per path.
import type { RedisClient } from "../../src/store/create-redis-client";
import { DirtySet } from "../../src/reconcile/dirty-set";
import { GrantLedger, type RawLedger } from "../../src/reconcile/grant-ledger";
import type { HolderRecord } from "../../src/reconcile/ledger-entry";
import { redisKeys } from "../../src/store/redis-keys";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";

const SYSTEM = "lockhall";
const OTHER = "depot";
let server: TestRedis;
let redis: RedisClient;

beforeAll(async () => {
  server = await startTestRedis();
  redis = server.client();
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

const holderOf = (generation: number) =>
  ({ generation, reconciledAt: "2026-03-01T00:00:00.000Z" }) as unknown as HolderRecord;

interface Case {
  personId: string;
  /** Generation current in the directory, and reconciled by the other key system. */
  current: number;
  other?: number;
  /** Written to the ledger after the batch read it (a person's own run). */
  changedMeanwhile?: boolean;
  emptyLedger?: boolean;
}

const CASES: Case[] = [
  { personId: "clean", current: 3, other: 3 },
  { personId: "other-behind", current: 3, other: 2 },
  { personId: "other-never", current: 3 },
  { personId: "moved", current: 4, other: 4 },
  { personId: "changed", current: 3, other: 3, changedMeanwhile: true },
  { personId: "no-ledger", current: 3, other: 3, emptyLedger: true },
];
/** Every batch reconciled generation 3, as read before its observe. */
const READ_GENERATION = 3;

async function seed(tenant: string): Promise<RawLedger[]> {
  const raws: RawLedger[] = [];
  for (const c of CASES) {
    const ledger = redisKeys.grantLedger(tenant, SYSTEM, c.personId);
    if (!c.emptyLedger)
      await redis.hset(ledger, "_holder", JSON.stringify(holderOf(2)), "office", '{"profile":"office"}');
    raws.push(await redis.hgetall(ledger));
    if (c.changedMeanwhile) await redis.hset(ledger, "office", '{"profile":"office","state":"requested"}');
    await redis.set(redisKeys.personGeneration(tenant, c.personId), String(c.current));
    await redis.zadd(redisKeys.dirtyPersons(tenant), 1, c.personId);
    if (c.other !== undefined)
      await redis.hset(redisKeys.reconciledGenerations(tenant, OTHER), c.personId, String(c.other));
  }
  return raws;
}

async function stateOf(tenant: string) {
  const out: Record<string, unknown> = {
    dirty: await redis.zrange(redisKeys.dirtyPersons(tenant), 0, "-1"),
    reconciled: await redis.hgetall(redisKeys.reconciledGenerations(tenant, SYSTEM)),
  };
  for (const c of CASES)
    out[c.personId] = await redis.hgetall(redisKeys.grantLedger(tenant, SYSTEM, c.personId));
  return out;
}

it("settles each person exactly as writeHolderIfUnchanged then markReconciled would", async () => {
  const dirty = new DirtySet(redis, () => [SYSTEM, OTHER]);
  const ledger = new GrantLedger(redis);
  const holder = holderOf(READ_GENERATION);

  const oneByOneRaws = await seed("one");
  const oneByOne: string[] = [];
  for (const [i, c] of CASES.entries()) {
    const written = await ledger.writeHolderIfUnchanged(
      "one",
      SYSTEM,
      c.personId,
      oneByOneRaws[i] ?? {},
      holder,
    );
    oneByOne.push(
      written ? await dirty.markReconciled("one", SYSTEM, c.personId, READ_GENERATION) : "ledger_changed",
    );
  }

  const batchRaws = await seed("batch");
  const batch = await dirty.settleConverged(
    "batch",
    SYSTEM,
    CASES.map((c, i) => ({
      personId: c.personId,
      raw: batchRaws[i] ?? {},
      holder,
      generation: READ_GENERATION,
    })),
  );

  expect(batch).toEqual(oneByOne);
  expect(batch).toEqual([
    "clean",
    "still_dirty",
    "still_dirty",
    "generation_moved",
    "ledger_changed",
    "clean",
  ]);
  expect(await stateOf("batch")).toEqual(await stateOf("one"));
  // The person whose own run wrote meanwhile keeps that write, and stays dirty for that run.
  expect((await stateOf("batch")).dirty).toEqual(
    expect.arrayContaining(["changed", "moved", "other-behind"]),
  );
  expect(await dirty.settleConverged("batch", SYSTEM, [])).toEqual([]);
});

// Big member plans are sent ahead in private lists (store/stage-members.ts) and applied by the save
// script: same members, same audit record, atomic with the version compare-and-set, nothing left behind.
import { isBridgeError } from "../../src/errors/bridge-error";
import { CORE_GROUP_URN } from "../../src/store/directory-types";
import { redisKeys } from "../../src/store/redis-keys";
import { runScript } from "../../src/store/run-script";
import { savePlan } from "../../src/store/save-plan";
import { SAVE_SCRIPT } from "../../src/store/save-script";
import { STAGE_FROM_IDS, stageMembers } from "../../src/store/stage-members";
import { readSaveReply } from "../../src/store/write-outcome";
import { type StoreFixture, ctx, startStoreFixture, userInput } from "./store-fixture";

let f: StoreFixture;
beforeAll(async () => {
  f = await startStoreFixture();
});
afterAll(() => f.redis.stop());
beforeEach(() => f.reset());

const T = "t1";

async function users(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 50) {
    const made = await Promise.all(
      Array.from({ length: Math.min(50, n - i) }, (_, j) =>
        f.store.createUser(T, userInput(`u${i + j}`), ctx),
      ),
    );
    ids.push(...made.map((m) => m.resource.id));
  }
  return ids;
}

/** Ids of the right shape that name no user (deleted since the IdP cached them): skipped, not refused. */
const unknownIds = (n: number) =>
  Array.from({ length: n }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);

async function stageKeys(): Promise<string[]> {
  return f.client.keys("*member-stage*");
}

interface OutboxRecord {
  type: string;
  correlationId: string;
  data: { persons: { personId: string }[]; part?: { index: number; of: number } };
}

async function outbox(): Promise<OutboxRecord[]> {
  const entries = await f.client.lrange(redisKeys.auditOutbox(T), 0, -1);
  return entries.map((e) => JSON.parse(e.slice(e.indexOf("|") + 1)));
}

async function members(groupId: string): Promise<string[]> {
  return (await f.client.smembers(redisKeys.groupMembers(T, groupId))).sort();
}

async function emptyGroup(): Promise<string> {
  return (await f.store.createGroup(T, { schemas: [CORE_GROUP_URN], displayName: "Big" }, [], ctx)).resource
    .id;
}

describe("staged member plans", () => {
  it("a full replacement above the staging size gives the members, changes and audit record of the plan", async () => {
    const known = await users(600);
    const wanted = [...known, ...unknownIds(STAGE_FROM_IDS)];
    const g = await emptyGroup();
    await f.client.del(redisKeys.auditOutbox(T));

    const result = await f.store.changeMembers(T, g, { replaceAll: wanted }, ctx);

    expect(await members(g)).toEqual([...known].sort());
    expect(result.changes.map((c) => c.personId).sort()).toEqual([...known].sort());
    // 600 persons are recorded as two records of one change (at most 500 persons each).
    const records = await outbox();
    expect(records.map((r) => [r.type, r.correlationId, r.data.part])).toEqual([
      ["scim.membership.changed", ctx.correlationId, { index: 1, of: 2 }],
      ["scim.membership.changed", ctx.correlationId, { index: 2, of: 2 }],
    ]);
    expect(records.map((r) => r.data.persons.length)).toEqual([500, 100]);
    expect(records.flatMap((r) => r.data.persons.map((p) => p.personId)).sort()).toEqual([...known].sort());
    expect(await stageKeys()).toEqual([]);

    // Removing most of them again is staged too (removals count), and leaves only the kept member.
    await f.store.changeMembers(T, g, { replaceAll: [known[0]!, ...unknownIds(STAGE_FROM_IDS)] }, ctx);
    expect(await members(g)).toEqual([known[0]]);
    expect(await stageKeys()).toEqual([]);
  });

  it("a concurrent write between staging and the save leaves the group as that write made it", async () => {
    const known = await users(3);
    const g = await emptyGroup();
    const version = Number((await f.client.get(redisKeys.group(T, g)))!.split("|")[0]);
    const plan = { add: [known[0]!, ...unknownIds(STAGE_FROM_IDS)], remove: [] };
    const staged = await stageMembers(f.client, T, plan);
    await f.client.del(redisKeys.auditOutbox(T));

    await f.store.changeMembers(T, g, { add: [known[1]!] }, ctx); // the concurrent writer
    const reply = await runScript(
      f.client,
      SAVE_SCRIPT,
      [redisKeys.group(T, g)],
      [
        JSON.stringify(
          savePlan({
            tenant: T,
            resource: "group",
            id: g,
            expect: version,
            now: f.clock.now,
            members: plan,
            staged,
          }),
        ),
      ],
    );

    expect(readSaveReply(reply, "group")).toEqual({ status: "STALE" });
    expect(await members(g)).toEqual([known[1]]);
    expect(await outbox()).toHaveLength(1); // only the concurrent write's record
    expect(await stageKeys()).toEqual([]);
  });

  it("a save whose staged list is gone or short changes nothing and asks for a retry", async () => {
    const [a] = await users(1);
    const g = await emptyGroup();
    const plan = { add: [a!, ...unknownIds(STAGE_FROM_IDS)], remove: [] };
    const staged = await stageMembers(f.client, T, plan);
    await f.client.rpop(staged.add); // as if cut short (or expired: then it is empty)
    await f.client.del(redisKeys.auditOutbox(T));

    const reply = await runScript(
      f.client,
      SAVE_SCRIPT,
      [redisKeys.group(T, g)],
      [
        JSON.stringify(
          savePlan({
            tenant: T,
            resource: "group",
            id: g,
            expect: -2,
            now: f.clock.now,
            members: plan,
            staged,
          }),
        ),
      ],
    );

    let error: unknown;
    try {
      readSaveReply(reply, "group");
    } catch (err) {
      error = err;
    }
    expect(isBridgeError(error, "Unavailable")).toBe(true);
    expect(await members(g)).toEqual([]);
    expect(await outbox()).toEqual([]);
    expect(await stageKeys()).toEqual([]);
  });

  it("lists staged by a process that died before its save expire on their own", async () => {
    const [a] = await users(1);
    const g = await emptyGroup();
    const staged = await stageMembers(
      f.client,
      T,
      { add: [a!, ...unknownIds(STAGE_FROM_IDS)], remove: [a!] },
      200,
    );

    const ttls = await Promise.all([f.client.pttl(staged.add), f.client.pttl(staged.remove)]);
    expect(ttls.every((ttl) => ttl > 0 && ttl <= 200)).toBe(true);
    expect(await members(g)).toEqual([]);
    for (let i = 0; i < 100 && (await stageKeys()).length > 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(await stageKeys()).toEqual([]);
  });
});

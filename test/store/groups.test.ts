// Groups in the Redis directory: displayName uniqueness, member deltas (no-ops, unknown ids, full
// replacement), members loaded only on request, and the membership PersonChanges each write reports.
import { isBridgeError } from "../../src/errors/bridge-error";
import type { GroupInput } from "../../src/store/directory-store-api";
import { CORE_GROUP_URN } from "../../src/store/directory-types";
import { redisKeys } from "../../src/store/redis-keys";
import { type StoreFixture, ctx, startStoreFixture, userInput } from "./store-fixture";

let f: StoreFixture;
beforeAll(async () => {
  f = await startStoreFixture();
});
afterAll(() => f.redis.stop());
beforeEach(() => f.reset());

const group = (displayName: string, extra: Partial<GroupInput> = {}): GroupInput => ({
  schemas: [CORE_GROUP_URN],
  displayName,
  ...extra,
});

async function users(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++)
    ids.push((await f.store.createUser("t1", userInput(`user${i}`), ctx)).resource.id);
  return ids;
}

const errorOf = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e,
  );

describe("group attributes", () => {
  it("refuses a second group with the same displayName in any case (Entra matches on it)", async () => {
    await f.store.createGroup("t1", group("Control Room"), [], ctx);
    expect(
      isBridgeError(await errorOf(f.store.createGroup("t1", group("control room"), [], ctx)), "Conflict"),
    ).toBe(true);
    await f.store.createGroup("t2", group("Control Room"), [], ctx);
  });

  it("stores no members in the group body and versions it like users", async () => {
    const [a] = await users(1);
    const g = await f.store.createGroup("t1", group("Ops", { members: [{ value: a }] }), [a!], ctx);
    expect(g.resource.members).toBeUndefined();
    expect(g.resource.meta).toMatchObject({ resourceType: "Group", version: 'W/"1"' });
  });

  it("getGroup with members:false never reads the member set", async () => {
    const ids = await users(3);
    const g = await f.store.createGroup("t1", group("Ops"), ids, ctx);
    // Make the member set unreadable as a set: a read of it would now fail with WRONGTYPE.
    await f.client.del(redisKeys.groupMembers("t1", g.resource.id));
    await f.client.set(redisKeys.groupMembers("t1", g.resource.id), "not a set");
    const read = await f.store.getGroup("t1", g.resource.id, { members: false });
    expect(read).toEqual({ group: g.resource });
    await expect(f.store.getGroup("t1", g.resource.id, { members: true })).rejects.toThrow(/WRONGTYPE/);
  });

  it("a rename bumps every member (mappings match on displayName); a same-name write changes nothing", async () => {
    const ids = await users(2);
    const g = await f.store.createGroup("t1", group("Ops"), ids, ctx);
    const same = await f.store.updateGroup(
      "t1",
      g.resource.id,
      (cur) => ({ ...cur, displayName: "Ops" }),
      ctx,
    );
    expect(same.changes).toEqual([]);
    const renamed = await f.store.updateGroup(
      "t1",
      g.resource.id,
      (cur) => ({ ...cur, displayName: "Ops 2" }),
      ctx,
    );
    expect(renamed.resource.meta.version).toBe('W/"2"');
    expect(renamed.changes.sort((a, b) => a.personId.localeCompare(b.personId))).toEqual(
      ids.map((personId) => ({ personId, kind: "membership", generation: 3 })),
    );
    expect((await f.store.groupsOfUser("t1", ids[0]!)).map((r) => r.displayName)).toEqual(["Ops 2"]);
  });
});

describe("member deltas", () => {
  it("adds and removes, reporting one membership change per person actually affected", async () => {
    const [a, b, c] = await users(3);
    const g = await f.store.createGroup("t1", group("Ops"), [a!], ctx);
    expect(g.changes).toEqual([{ personId: a, kind: "membership", generation: 2 }]);

    const r = await f.store.changeMembers("t1", g.resource.id, { add: [a!, b!, b!], remove: [c!] }, ctx);
    expect(r.changes).toEqual([{ personId: b, kind: "membership", generation: 2 }]);
    expect(r.resource.meta.version).toBe('W/"2"');

    const noop = await f.store.changeMembers("t1", g.resource.id, { add: [a!], remove: [c!] }, ctx);
    expect(noop.changes).toEqual([]);
    expect(noop.resource.meta.version).toBe('W/"2"');

    const left = await f.store.changeMembers("t1", g.resource.id, { remove: [a!] }, ctx);
    expect(left.changes).toEqual([{ personId: a, kind: "membership", generation: 3 }]);
    expect((await f.store.getGroup("t1", g.resource.id, { members: true }))?.members).toEqual([b]);
    expect(await f.store.groupsOfUser("t1", a!)).toEqual([]);
    expect(await f.store.groupsOfUser("t1", b!)).toEqual([{ id: g.resource.id, displayName: "Ops" }]);
  });

  it("an id both removed and added in one request stays a member without a change", async () => {
    const [a] = await users(1);
    const g = await f.store.createGroup("t1", group("Ops"), [a!], ctx);
    const r = await f.store.changeMembers("t1", g.resource.id, { remove: [a!], add: [a!] }, ctx);
    expect(r.changes).toEqual([]);
    expect((await f.store.getGroup("t1", g.resource.id, { members: true }))?.members).toEqual([a]);
  });

  it("skips ids naming no user of the tenant and applies the rest; malformed ids are InvalidValue", async () => {
    const [a, b, c] = await users(3);
    const g = await f.store.createGroup("t1", group("Ops"), [c!], ctx);
    // A stale id (deleted user, or another tenant's) must not block the removal in the same request.
    const other = await f.store.createUser("t2", userInput("x"), ctx);
    const r = await f.store.changeMembers(
      "t1",
      g.resource.id,
      { add: [a!, "ghost", other.resource.id], remove: [c!] },
      ctx,
    );
    expect(r.changes.map((x) => x.personId).sort()).toEqual([a, c].sort());
    expect((await f.store.getGroup("t1", g.resource.id, { members: true }))?.members).toEqual([a]);
    expect(await f.store.groupsOfUser("t2", other.resource.id)).toEqual([]);
    expect(
      isBridgeError(await errorOf(f.store.createGroup("t1", group("X"), [b!, "a:b"], ctx)), "InvalidValue"),
    ).toBe(true);
    expect(await f.store.getGeneration("t1", b!)).toBe(1);
  });

  it("replaceAll (PUT, Okta full push) applies the difference only", async () => {
    const [a, b, c] = await users(3);
    const g = await f.store.createGroup("t1", group("Ops"), [a!, b!], ctx);
    const r = await f.store.replaceGroup("t1", g.resource.id, group("Ops"), [b!, c!], ctx);
    expect(r.changes.map((x) => x.personId).sort()).toEqual([a, c]);
    expect((await f.store.getGroup("t1", g.resource.id, { members: true }))?.members?.sort()).toEqual([b, c]);
    const again = await f.store.replaceGroup("t1", g.resource.id, group("Ops"), [c!, b!], ctx);
    expect(again.changes).toEqual([]);
    expect(again.resource.meta.version).toBe('W/"2"');
    const viaDelta = await f.store.changeMembers("t1", g.resource.id, { replaceAll: [a!] }, ctx);
    expect(viaDelta.changes.map((x) => x.personId).sort()).toEqual([a, b, c].sort());
    // A stale id in a replacement is skipped; the members it leaves out still leave.
    await f.store.changeMembers("t1", g.resource.id, { add: [b!] }, ctx);
    const ghost = await f.store.replaceGroup("t1", g.resource.id, group("Ops"), [a!, "ghost"], ctx);
    expect(ghost.changes.map((x) => x.personId)).toEqual([b]);
    expect((await f.store.getGroup("t1", g.resource.id, { members: true }))?.members).toEqual([a]);
  });

  it("changeMembers honours If-Match and answers NotFound for an unknown group", async () => {
    const [a] = await users(1);
    const g = await f.store.createGroup("t1", group("Ops"), [], ctx);
    const stale = f.store.changeMembers("t1", g.resource.id, { add: [a!] }, { ...ctx, ifMatch: 'W/"7"' });
    expect(isBridgeError(await errorOf(stale), "PreconditionFailed")).toBe(true);
    await f.store.changeMembers("t1", g.resource.id, { add: [a!] }, { ...ctx, ifMatch: 'W/"1"' });
    expect(
      isBridgeError(await errorOf(f.store.changeMembers("t1", "nope", { add: [a!] }, ctx)), "NotFound"),
    ).toBe(true);
  });
});

describe("deleting a group", () => {
  it("removes every membership and reports each former member once", async () => {
    const [a, b] = await users(2);
    const keep = await f.store.createGroup("t1", group("Keep"), [a!], ctx);
    const g = await f.store.createGroup("t1", group("Ops"), [a!, b!], ctx);
    const del = await f.store.deleteGroup("t1", g.resource.id, ctx);
    expect(del.changes.sort((x, y) => x.personId.localeCompare(y.personId))).toEqual([
      { personId: a, kind: "membership", generation: 4 },
      { personId: b, kind: "membership", generation: 3 },
    ]);
    expect(await f.store.getGroup("t1", g.resource.id, { members: false })).toBeNull();
    expect((await f.store.groupsOfUser("t1", a!)).map((r) => r.id)).toEqual([keep.resource.id]);
    expect(await f.client.zscore(redisKeys.dirtyPersons("t1"), b!)).not.toBeNull();
    await f.store.createGroup("t1", group("ops"), [], ctx);
  });
});

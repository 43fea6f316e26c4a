// The seam to provisioning (issue 2 item 6): each write reports one PersonChange per affected person,
// the person's generation moves by exactly one per reported change, and the durable dirty set holds
// the person from their first unreconciled change (ZADD NX) until the pipeline removes them.
import type { PersonChange } from "../../src/store/directory-change";
import { CORE_GROUP_URN } from "../../src/store/directory-types";
import { redisKeys } from "../../src/store/redis-keys";
import { type StoreFixture, ctx, startStoreFixture, userInput } from "./store-fixture";

let f: StoreFixture;
beforeAll(async () => {
  f = await startStoreFixture();
});
afterAll(() => f.redis.stop());
beforeEach(() => f.reset());

const at = (iso: string) => {
  f.clock.now = new Date(iso);
};
const dirtySince = async (id: string) => {
  const score = await f.client.zscore(redisKeys.dirtyPersons("t1"), id);
  return score === null ? null : new Date(Number(score)).toISOString();
};

it("walks one person through every kind of change, each reported exactly once", async () => {
  const log: PersonChange[][] = [];
  at("2026-03-01T08:00:00.000Z");
  const ada = await f.store.createUser("t1", userInput("ada"), ctx);
  const id = ada.resource.id;
  log.push(ada.changes);
  at("2026-03-01T08:01:00.000Z");
  log.push((await f.store.updateUser("t1", id, (u) => ({ ...u, title: "Operator" }), ctx)).changes);
  log.push((await f.store.updateUser("t1", id, (u) => ({ ...u, title: "Operator" }), ctx)).changes);
  const g = await f.store.createGroup(
    "t1",
    { schemas: [CORE_GROUP_URN], displayName: "Substation" },
    [],
    ctx,
  );
  log.push(g.changes);
  log.push((await f.store.changeMembers("t1", g.resource.id, { add: [id] }, ctx)).changes);
  log.push((await f.store.changeMembers("t1", g.resource.id, { add: [id] }, ctx)).changes);
  log.push(
    (await f.store.updateGroup("t1", g.resource.id, (x) => ({ ...x, displayName: "Substation N" }), ctx))
      .changes,
  );
  log.push((await f.store.updateUser("t1", id, (u) => ({ ...u, active: false }), ctx)).changes);
  log.push((await f.store.changeMembers("t1", g.resource.id, { remove: [id] }, ctx)).changes);
  log.push((await f.store.deleteUser("t1", id, ctx)).changes);

  expect(log.map((changes) => changes.map((c) => `${c.kind}@${c.generation}`))).toEqual([
    ["created@1"],
    ["updated@2"],
    [],
    [],
    ["membership@3"],
    [],
    ["membership@4"],
    ["deactivated@5"],
    ["membership@6"],
    ["deleted@7"],
  ]);
  expect(await f.store.getGeneration("t1", id)).toBe(7);
  // Never reconciled: still dirty since the first change.
  expect(await dirtySince(id)).toBe("2026-03-01T08:00:00.000Z");
});

it("after the pipeline clears a person, the next change marks them dirty again at its own time", async () => {
  at("2026-03-01T08:00:00.000Z");
  const ada = await f.store.createUser("t1", userInput("ada"), ctx);
  await f.client.zrem(redisKeys.dirtyPersons("t1"), ada.resource.id);
  at("2026-03-01T09:00:00.000Z");
  await f.store.updateUser("t1", ada.resource.id, (u) => ({ ...u, active: false }), ctx);
  expect(await dirtySince(ada.resource.id)).toBe("2026-03-01T09:00:00.000Z");
});

it("a write that fails a check bumps nobody and marks nobody dirty", async () => {
  const ada = await f.store.createUser("t1", userInput("ada"), ctx);
  const bob = await f.store.createUser("t1", userInput("bob"), ctx);
  await f.client.del(redisKeys.dirtyPersons("t1"));
  await expect(f.store.replaceUser("t1", bob.resource.id, userInput("ADA"), ctx)).rejects.toMatchObject({
    code: "BRIDGE_CONFLICT",
  });
  const g = await f.store.createGroup("t1", { schemas: [CORE_GROUP_URN], displayName: "G" }, [], ctx);
  await expect(
    f.store.changeMembers("t1", g.resource.id, { add: [ada.resource.id] }, { ...ctx, ifMatch: 'W/"9"' }),
  ).rejects.toMatchObject({
    code: "BRIDGE_PRECONDITION_FAILED",
  });
  await expect(
    f.store.changeMembers("t1", g.resource.id, { add: [ada.resource.id, "gh:ost"] }, ctx),
  ).rejects.toMatchObject({
    code: "BRIDGE_INVALID_VALUE",
  });
  expect(await f.store.getGeneration("t1", ada.resource.id)).toBe(1);
  expect(await f.store.getGeneration("t1", bob.resource.id)).toBe(1);
  expect(await f.client.zcard(redisKeys.dirtyPersons("t1"))).toBe(0);
});

it("an error thrown by the caller's mutate function comes back unchanged and writes nothing", async () => {
  const ada = await f.store.createUser("t1", userInput("ada"), ctx);
  const boom = new TypeError("edge rejected the patch");
  await expect(
    f.store.updateUser(
      "t1",
      ada.resource.id,
      () => {
        throw boom;
      },
      ctx,
    ),
  ).rejects.toBe(boom);
  expect((await f.store.getUser("t1", ada.resource.id))?.meta.version).toBe('W/"1"');
});

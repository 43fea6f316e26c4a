// Concurrent writers on one user and one group, each on its own connection: compare-and-set with
// retries must let every update through (scimmy-and-bullmq.md §A3 shows last-writer-wins losing them).
import type { RedisClient } from "../../src/store/create-redis-client";
import { RedisDirectoryStore } from "../../src/store/directory-store";
import { CORE_GROUP_URN } from "../../src/store/directory-types";
import { type StoreFixture, ctx, startStoreFixture, userInput } from "./store-fixture";

let f: StoreFixture;
let stores: RedisDirectoryStore[];
beforeAll(async () => {
  f = await startStoreFixture();
  stores = Array.from({ length: 20 }, () => {
    const client: RedisClient = f.redis.client();
    return new RedisDirectoryStore({ redis: client });
  });
});
afterAll(() => f.redis.stop());
beforeEach(() => f.reset());

const PARALLEL = 20;

it("20 parallel read-modify-write updates of one user are all kept, each reported once", async () => {
  const ada = await f.store.createUser("t1", userInput("ada", { title: "0" }), ctx);
  const results = await Promise.all(
    stores.map((s) =>
      s.updateUser("t1", ada.resource.id, (u) => ({ ...u, title: String(Number(u.title) + 1) }), ctx),
    ),
  );
  const user = await f.store.getUser("t1", ada.resource.id);
  expect(user?.title).toBe(String(PARALLEL));
  expect(user?.meta.version).toBe(`W/"${PARALLEL + 1}"`);
  const generations = results.flatMap((r) => r.changes.map((c) => c.generation)).sort((a, b) => a - b);
  expect(generations).toEqual(Array.from({ length: PARALLEL }, (_, i) => i + 2));
  expect(await f.store.getGeneration("t1", ada.resource.id)).toBe(PARALLEL + 1);
});

it("20 parallel member adds and 10 parallel attribute updates of one group lose nothing", async () => {
  const ids: string[] = [];
  for (let i = 0; i < PARALLEL; i++)
    ids.push((await f.store.createUser("t1", userInput(`u${i}`), ctx)).resource.id);
  const g = await f.store.createGroup(
    "t1",
    { schemas: [CORE_GROUP_URN], displayName: "Ops", counter: 0 },
    [],
    ctx,
  );
  const adds = ids.map((id, i) => stores[i]!.changeMembers("t1", g.resource.id, { add: [id] }, ctx));
  const edits = stores
    .slice(0, 10)
    .map((s) =>
      s.updateGroup("t1", g.resource.id, (cur) => ({ ...cur, counter: Number(cur.counter) + 1 }), ctx),
    );
  const results = await Promise.all([...adds, ...edits]);

  const read = await f.store.getGroup("t1", g.resource.id, { members: true });
  expect(read?.members?.sort()).toEqual([...ids].sort());
  expect(read?.group.counter).toBe(10);
  expect(read?.group.meta.version).toBe(`W/"${1 + PARALLEL + 10}"`);
  const reported = results.flatMap((r) => r.changes.map((c) => c.personId)).sort();
  expect(reported).toEqual([...ids].sort());
});

it("10 parallel creates of one userName in different cases: exactly one wins, the rest are Conflict", async () => {
  const names = ["ada", "ADA", "Ada", "aDa", "adA", "AdA", "aDA", "ADa", "ada", "ADA"];
  const outcomes = await Promise.allSettled(
    names.map((n, i) => stores[i]!.createUser("t1", userInput(n), ctx)),
  );
  expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
  const codes = outcomes.flatMap((o) =>
    o.status === "rejected" ? [(o.reason as { code?: string }).code] : [],
  );
  expect(codes).toEqual(Array(9).fill("BRIDGE_CONFLICT"));
  expect((await f.store.queryUsers("t1", { filter: null, startIndex: 1, count: 20 })).totalResults).toBe(1);
});

// scim.limits.filterScanMax bounds one request, not one OR branch: an OR of many unindexed terms loads
// each resource at most once, and the resources all its branches check one by one count together
// against the limit (otherwise 64 `emails.value co` branches made Redis load the directory 64 times).
import { isBridgeError } from "../../src/errors/bridge-error";
import { translateFilter } from "../../src/scim/translate-filter";
import type { StoredUser } from "../../src/store/directory-types";
import { type StoreFixture, ctx, startStoreFixture, userInput } from "./store-fixture";

let f: StoreFixture;
beforeAll(async () => {
  f = await startStoreFixture();
});
afterAll(() => f.redis.stop());
beforeEach(() => f.reset());

const create = (userName: string, extra: Partial<StoredUser> = {}) =>
  f.store.createUser("t1", userInput(userName, extra), ctx);
const query = (filter: string, scanMax: number) =>
  f.store.queryUsers("t1", { filter: translateFilter("User", filter), startIndex: 1, count: 100, scanMax });
const names = (users: StoredUser[]) => users.map((u) => u.userName).sort();

/** Calls of one Redis command so far (INFO commandstats of the test's own server). */
async function calls(command: string): Promise<number> {
  const info = await f.client.info("commandstats");
  const line = info.split("\n").find((l) => l.startsWith(`cmdstat_${command}:`));
  return Number(/calls=(\d+)/.exec(line ?? "")?.[1] ?? 0);
}

const emails = (value: string) => ({ emails: [{ value, type: "work" }] });

it("an OR of 16 unindexed branches loads the directory once and answers every branch", async () => {
  for (let i = 0; i < 6; i++) await create(`u${i}`, emails(`zq${i}@example.test`));
  const filter = Array.from({ length: 16 }, (_, i) => `emails.value co "zq${i}@"`).join(" or ");
  const before = await calls("mget");
  const page = await query(filter, 10);
  // One MGET checks the branches, one loads the page returned (before: one per branch, plus the page).
  expect(await calls("mget")).toBe(before + 2);
  expect(page.totalResults).toBe(6);
  expect(names(page.resources)).toEqual(["u0", "u1", "u2", "u3", "u4", "u5"]);
});

it("the resources all branches check one by one count together against filterScanMax", async () => {
  for (const n of ["a1", "a2", "a3", "b1", "b2", "b3"]) await create(n, { title: "Engineer" });
  // Each branch alone checks 3 users (within the limit 4), both together 6: narrow the filter.
  const both = '(userName sw "a" and title eq "Engineer") or (userName sw "b" and title eq "Engineer")';
  const err = await query(both, 4).then(
    () => null,
    (e: unknown) => e,
  );
  expect(isBridgeError(err, "InvalidValue")).toBe(true);
  expect((err as Error).message).toMatch(/scan limit/);
  // The same users checked by several branches count once.
  const overlap = '(userName sw "a" and title eq "Engineer") or (userName sw "a" and title ne "Boss")';
  expect(names((await query(overlap, 4)).resources)).toEqual(["a1", "a2", "a3"]);
  expect(names((await query(both, 6)).resources)).toEqual(["a1", "a2", "a3", "b1", "b2", "b3"]);
});

it("an OR mixing indexed and unindexed branches keeps every match", async () => {
  await create("ana", { title: "Engineer" });
  await create("bo", { title: "Boss" });
  await create("cy", emails("cy@zq.example"));
  await create("dee");
  const filter = 'userName eq "ana" or title eq "Boss" or emails.value co "@zq." or userName sw "de"';
  expect(names((await query(filter, 4)).resources)).toEqual(["ana", "bo", "cy", "dee"]);
  const before = await calls("mget");
  expect(names((await query('title eq "Boss" or not (title pr)', 4)).resources)).toEqual(["bo", "cy", "dee"]);
  expect(await calls("mget")).toBe(before + 2);
});

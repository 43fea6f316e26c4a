// getPersons (a full-resync batch's read, issue #13 item 2) must give, for every id, exactly what
// getPerson gives: the pipeline decides grants from it, so a batch may never see a person differently
// from the person's own reconcile — groups and their order, generation, signal holds, missing and
// deleted persons.
import { CORE_GROUP_URN } from "../../src/store/directory-types";
import { redisKeys } from "../../src/store/redis-keys";
import { HOLD_FIELDS } from "../../src/signals/signal-hold";
import { type StoreFixture, ctx, startStoreFixture, userInput } from "./store-fixture";

let f: StoreFixture;
beforeAll(async () => {
  f = await startStoreFixture();
});
afterAll(() => f.redis.stop());
beforeEach(() => f.reset());

const group = async (displayName: string, members: string[]) =>
  (await f.store.createGroup("t1", { schemas: [CORE_GROUP_URN], displayName }, members, ctx)).resource.id;

it("gives for each id what getPerson gives, in order, with null for missing and deleted persons", async () => {
  const ada = (await f.store.createUser("t1", userInput("ada"), ctx)).resource.id;
  const bob = (await f.store.createUser("t1", userInput("bob", { active: false }), ctx)).resource.id;
  const cy = (await f.store.createUser("t1", userInput("cy"), ctx)).resource.id;
  const gone = (await f.store.createUser("t1", userInput("gone"), ctx)).resource.id;
  // Two groups created in the opposite of their name order: the refs must come sorted as getPerson sorts.
  const zulu = await group("Zulu depot", [ada, bob]);
  await group("Alpha gate", [ada]);
  const removed = await group("Removed", [cy]);
  await f.store.deleteGroup("t1", removed, ctx);
  await f.store.updateUser("t1", cy, (u) => ({ ...u, title: "Operator" }), ctx);
  await f.store.deleteUser("t1", gone, ctx);
  // A held IdP signal (a membership removal the IdP reported, SCIM has not yet sent).
  await f.client.hset(
    redisKeys.signalHold("t1", bob),
    `${HOLD_FIELDS.groupPrefix}${zulu}`,
    JSON.stringify({ at: "2026-01-01T00:00:00.000Z", source: "test" }),
  );
  const ids = [cy, "never-created", ada, gone, bob, "bad:{id}", ada];

  const batch = await f.store.getPersons("t1", ids);
  const one = await Promise.all(ids.map((id) => f.store.getPerson("t1", id)));

  expect(batch).toEqual(one);
  expect(batch.map((p) => p?.user.userName ?? null)).toEqual(["cy", null, "ada", null, "bob", null, "ada"]);
  expect(batch[2]?.groups.map((g) => g.displayName)).toEqual(["Alpha gate", "Zulu depot"]);
  expect(batch[0]?.groups).toEqual([]);
  expect(batch[0]?.generation).toBeGreaterThan(1);
  expect(batch[4]?.signalHold?.groups[zulu]).toBeDefined();
});

it("reads nothing for no ids, and a person of another tenant is not found", async () => {
  const ada = (await f.store.createUser("t1", userInput("ada"), ctx)).resource.id;
  expect(await f.store.getPersons("t1", [])).toEqual([]);
  expect(await f.store.getPersons("t2", [ada])).toEqual([null]);
});

// Member displays in the Redis directory: a group larger than one HMGET chunk gets every member's
// display, and the display rule (displayName, else userName) holds for blank names.
import { CORE_GROUP_URN } from "../../src/store/directory-types";
import { DISPLAY_CHUNK, memberDisplay } from "../../src/store/member-displays";
import { type StoreFixture, ctx, startStoreFixture, userInput } from "./store-fixture";

let f: StoreFixture;
beforeAll(async () => {
  f = await startStoreFixture();
});
afterAll(() => f.redis.stop());
beforeEach(() => f.reset());

it("names every member of a group larger than one HMGET chunk", async () => {
  const n = DISPLAY_CHUNK * 2 + 7;
  const members: string[] = [];
  for (let i = 0; i < n; i++) {
    const extra = i % 2 === 0 ? { displayName: `User ${i}` } : {};
    members.push((await f.store.createUser("t1", userInput(`user${i}`, extra), ctx)).resource.id);
  }
  const g = await f.store.createGroup("t1", { schemas: [CORE_GROUP_URN], displayName: "All" }, members, ctx);

  const entry = await f.store.getGroup("t1", g.resource.id, { members: true });
  expect(entry?.members).toHaveLength(n);
  const displays = entry?.displays ?? new Map();
  expect(displays.size).toBe(n);
  const expected = new Map(members.map((id, i) => [id, i % 2 === 0 ? `User ${i}` : `user${i}`]));
  expect(displays).toEqual(expected);
  const listed = await f.store.queryGroups(
    "t1",
    { filter: null, startIndex: 1, count: 10 },
    { members: true },
  );
  expect(listed.resources[0]?.displays?.size).toBe(n);
});

it("shows displayName, else userName, and nothing for a user with neither", () => {
  expect(memberDisplay({ userName: "ann", displayName: "Ann A" })).toBe("Ann A");
  expect(memberDisplay({ userName: "ann", displayName: "  " })).toBe("ann");
  expect(memberDisplay({ userName: "ann" })).toBe("ann");
  expect(memberDisplay({})).toBeUndefined();
});

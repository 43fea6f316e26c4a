// Filters and paging as the IdPs send them (scim-clients.md §2.4, §5.3, §5.4): every indexed term,
// and/or, stable index paging with a correct totalResults, and InvalidValue instead of a scan.
import { isBridgeError } from "../../src/errors/bridge-error";
import type { Filter, FilterTerm } from "../../src/store/directory-store-api";
import { CORE_GROUP_URN, type StoredUser } from "../../src/store/directory-types";
import { type StoreFixture, ctx, startStoreFixture, userInput, withManager } from "./store-fixture";

let f: StoreFixture;
beforeAll(async () => {
  f = await startStoreFixture({ maxCandidates: 5 });
});
afterAll(() => f.redis.stop());
beforeEach(() => f.reset());

const page = (filter: Filter, startIndex = 1, count = 100) =>
  f.store.queryUsers("t1", { filter, startIndex, count });
const one = (term: FilterTerm): Filter => [[term]];
const names = (users: StoredUser[]) => users.map((u) => u.userName);
const create = async (userName: string, extra: Partial<StoredUser> = {}) =>
  (await f.store.createUser("t1", userInput(userName, extra), ctx)).resource;
const invalid = async (p: Promise<unknown>) =>
  isBridgeError(
    await p.then(
      () => null,
      (e: unknown) => e,
    ),
    "InvalidValue",
  );

describe("paging without a filter", () => {
  it("serves first, middle and last pages in creation order with the total, at any startIndex", async () => {
    for (let i = 0; i < 10; i++) await create(`u${i}`);
    expect(names((await page(null, 1, 3)).resources)).toEqual(["u0", "u1", "u2"]);
    expect(names((await page(null, 5, 3)).resources)).toEqual(["u4", "u5", "u6"]);
    const last = await page(null, 9, 3);
    expect(last).toMatchObject({ totalResults: 10 });
    expect(names(last.resources)).toEqual(["u8", "u9"]);
    expect(await page(null, 11, 3)).toEqual({ totalResults: 10, resources: [] });
    expect(names((await page(null, 0, 2)).resources)).toEqual(["u0", "u1"]);
  });

  it("count=0 returns only totalResults", async () => {
    await create("a");
    await create("b");
    expect(await page(null, 1, 0)).toEqual({ totalResults: 2, resources: [] });
    expect(await page(one({ attr: "userName", op: "sw", value: "a" }), 1, 0)).toEqual({
      totalResults: 1,
      resources: [],
    });
  });

  it("keeps the order stable while users are created between pages: nobody skipped or repeated", async () => {
    for (let i = 0; i < 6; i++) await create(`u${i}`);
    const first = await page(null, 1, 3);
    await create("late1");
    await create("late2");
    const second = await page(null, 4, 3);
    const third = await page(null, 7, 3);
    expect([...names(first.resources), ...names(second.resources), ...names(third.resources)]).toEqual([
      "u0",
      "u1",
      "u2",
      "u3",
      "u4",
      "u5",
      "late1",
      "late2",
    ]);
    expect(third.totalResults).toBe(8);
  });
});

describe("eq filters", () => {
  beforeEach(async () => {
    const boss = await create("Boss@Corp.example", { externalId: "EXT-1", displayName: "The Boss" });
    await create("ada@corp.example", {
      externalId: "ext-2",
      displayName: "Ada L",
      emails: [
        { value: "Ada@Home.example", type: "home" },
        { value: "ADA.L@corp.example", type: "Work" },
      ],
      ...withManager(boss.id),
    });
    await create("bob@corp.example", { active: false, displayName: "Bob", ...withManager(boss.id) });
  });

  it("userName eq ignores case; externalId eq does not", async () => {
    expect(
      names((await page(one({ attr: "userName", op: "eq", value: "BOSS@corp.EXAMPLE" }))).resources),
    ).toEqual(["Boss@Corp.example"]);
    expect((await page(one({ attr: "externalId", op: "eq", value: "EXT-1" }))).totalResults).toBe(1);
    expect((await page(one({ attr: "externalId", op: "eq", value: "ext-1" }))).totalResults).toBe(0);
  });

  it("id, displayName, emails.value, emails[type eq work].value and manager eq", async () => {
    const boss = (await page(one({ attr: "userName", op: "eq", value: "boss@corp.example" }))).resources[0]!;
    expect(names((await page(one({ attr: "id", op: "eq", value: boss.id }))).resources)).toEqual([
      boss.userName,
    ]);
    expect((await page(one({ attr: "id", op: "eq", value: "missing" }))).totalResults).toBe(0);
    expect(names((await page(one({ attr: "displayName", op: "eq", value: "ada l" }))).resources)).toEqual([
      "ada@corp.example",
    ]);
    expect(
      (await page(one({ attr: "emails.value", op: "eq", value: "ada@home.example" }))).totalResults,
    ).toBe(1);
    expect(
      (await page(one({ attr: "emails.work.value", op: "eq", value: "ada@home.example" }))).totalResults,
    ).toBe(0);
    expect(
      (await page(one({ attr: "emails.work.value", op: "eq", value: "Ada.L@corp.example" }))).totalResults,
    ).toBe(1);
    expect(names((await page(one({ attr: "manager", op: "eq", value: boss.id }))).resources)).toEqual([
      "ada@corp.example",
      "bob@corp.example",
    ]);
  });

  it("and narrows, or unites, both in creation order", async () => {
    const and: Filter = [
      [
        { attr: "userName", op: "sw", value: "b" },
        { attr: "active", op: "eq", value: false },
      ],
    ];
    expect(names((await page(and)).resources)).toEqual(["bob@corp.example"]);
    const or: Filter = [
      [{ attr: "userName", op: "eq", value: "bob@corp.example" }],
      [{ attr: "externalId", op: "eq", value: "EXT-1" }],
    ];
    const r = await page(or, 2, 5);
    expect(r.totalResults).toBe(2);
    expect(names(r.resources)).toEqual(["bob@corp.example"]);
  });

  it("finds nothing stale after an update changes the indexed values", async () => {
    const ada = (await page(one({ attr: "userName", op: "eq", value: "ada@corp.example" }))).resources[0]!;
    await f.store.replaceUser(
      "t1",
      ada.id,
      userInput("ada2@corp.example", { emails: [{ value: "new@x.example" }] }),
      ctx,
    );
    expect((await page(one({ attr: "userName", op: "eq", value: "ada@corp.example" }))).totalResults).toBe(0);
    expect(
      (await page(one({ attr: "emails.value", op: "eq", value: "ada@home.example" }))).totalResults,
    ).toBe(0);
    expect((await page(one({ attr: "emails.value", op: "eq", value: "NEW@x.example" }))).totalResults).toBe(
      1,
    );
    expect((await page(one({ attr: "manager", op: "eq", value: "x" }))).totalResults).toBe(0);
  });
});

describe("range filters", () => {
  it("userName sw pages through the lexicographic index with the right total", async () => {
    for (const n of ["carol", "amy", "anna", "Andy", "bert", "an"]) await create(n);
    const all = await page(one({ attr: "userName", op: "sw", value: "AN" }));
    expect(all.totalResults).toBe(3);
    expect(names(all.resources)).toEqual(["an", "Andy", "anna"]);
    const second = await page(one({ attr: "userName", op: "sw", value: "an" }), 2, 1);
    expect(second).toMatchObject({ totalResults: 3 });
    expect(names(second.resources)).toEqual(["Andy"]);
  });

  it("userName co scans a small index and refuses a large one", async () => {
    for (const n of ["xanax", "bananas", "carol"]) await create(n);
    expect(names((await page(one({ attr: "userName", op: "co", value: "AN" }))).resources)).toEqual([
      "xanax",
      "bananas",
    ]);
    for (const n of ["d", "e", "g"]) await create(n);
    expect(await invalid(page(one({ attr: "userName", op: "co", value: "an" })))).toBe(true);
  });

  it("meta.lastModified gt and ge (SailPoint delta aggregation)", async () => {
    const a = await create("a");
    f.clock.now = new Date("2026-01-01T00:00:10.000Z");
    await create("b");
    f.clock.now = new Date("2026-01-01T00:00:20.000Z");
    await f.store.updateUser("t1", a.id, (u) => ({ ...u, title: "x" }), ctx);
    const gt = await page(one({ attr: "meta.lastModified", op: "gt", value: "2026-01-01T00:00:10.000Z" }));
    expect(names(gt.resources)).toEqual(["a"]);
    const ge = await page(one({ attr: "meta.lastModified", op: "ge", value: "2026-01-01T00:00:10Z" }));
    expect(names(ge.resources)).toEqual(["b", "a"]);
    expect(ge.totalResults).toBe(2);
    expect(await invalid(page(one({ attr: "meta.lastModified", op: "gt", value: "yesterday" })))).toBe(true);
  });

  it("active eq true and false follow deactivation and reactivation", async () => {
    const a = await create("a");
    await create("b");
    await f.store.updateUser("t1", a.id, (u) => ({ ...u, active: false }), ctx);
    expect(names((await page(one({ attr: "active", op: "eq", value: false }))).resources)).toEqual(["a"]);
    expect(names((await page(one({ attr: "active", op: "eq", value: true }))).resources)).toEqual(["b"]);
    await f.store.updateUser("t1", a.id, (u) => ({ ...u, active: true }), ctx);
    expect((await page(one({ attr: "active", op: "eq", value: true }))).totalResults).toBe(2);
  });
});

describe("refusals instead of scans", () => {
  it("unindexed attributes or operators are InvalidValue", async () => {
    expect(await invalid(page(one({ attr: "members", op: "eq", value: "x" })))).toBe(true);
    expect(await invalid(page(one({ attr: "id", op: "sw", value: "x" })))).toBe(true);
    const groups = f.store.queryGroups(
      "t1",
      { filter: one({ attr: "userName", op: "eq", value: "x" }), startIndex: 1, count: 1 },
      { members: false },
    );
    expect(await invalid(groups)).toBe(true);
  });

  it("a combination of broad terms over the candidate cap is InvalidValue; a narrow one is fine", async () => {
    for (let i = 0; i < 7; i++) await create(`a${i}`);
    const broad: Filter = [
      [
        { attr: "userName", op: "sw", value: "a" },
        { attr: "active", op: "eq", value: true },
      ],
    ];
    expect(await invalid(page(broad))).toBe(true);
    expect((await page(one({ attr: "userName", op: "sw", value: "a" }), 1, 2)).totalResults).toBe(7);
    const narrow: Filter = [
      [
        { attr: "userName", op: "sw", value: "a1" },
        { attr: "active", op: "eq", value: true },
      ],
    ];
    expect((await page(narrow)).totalResults).toBe(1);
  });
});

describe("group queries", () => {
  it("displayName eq/sw, externalId eq, members eq alone and with id eq (Entra's reference check)", async () => {
    const ada = await create("ada");
    const bob = await create("bob");
    const ops = await f.store.createGroup(
      "t1",
      { schemas: [CORE_GROUP_URN], displayName: "Ops", externalId: "G1" },
      [ada.id],
      ctx,
    );
    const opsB = await f.store.createGroup(
      "t1",
      { schemas: [CORE_GROUP_URN], displayName: "Ops B" },
      [ada.id, bob.id],
      ctx,
    );
    const q = (filter: Filter, members = false) =>
      f.store.queryGroups("t1", { filter, startIndex: 1, count: 10 }, { members });
    const ids = async (filter: Filter) => (await q(filter)).resources.map((g) => g.group.id);

    expect(await ids(one({ attr: "displayName", op: "eq", value: "ops" }))).toEqual([ops.resource.id]);
    expect(await ids(one({ attr: "displayName", op: "sw", value: "OPS" }))).toEqual([
      ops.resource.id,
      opsB.resource.id,
    ]);
    expect(await ids(one({ attr: "externalId", op: "eq", value: "G1" }))).toEqual([ops.resource.id]);
    expect(await ids(one({ attr: "members", op: "eq", value: bob.id }))).toEqual([opsB.resource.id]);
    const check = (gid: string, uid: string): Filter => [
      [
        { attr: "id", op: "eq", value: gid },
        { attr: "members", op: "eq", value: uid },
      ],
    ];
    expect(await ids(check(ops.resource.id, ada.id))).toEqual([ops.resource.id]);
    expect(await ids(check(ops.resource.id, bob.id))).toEqual([]);
    const withMembers = await q(one({ attr: "id", op: "eq", value: opsB.resource.id }), true);
    expect(withMembers.resources[0]?.members?.sort()).toEqual([ada.id, bob.id].sort());
    expect((await q(null)).resources.every((g) => g.members === undefined)).toBe(true);
  });
});

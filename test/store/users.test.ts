// Users in the Redis directory: stored resource and meta, uniqueness, If-Match, tenant isolation,
// and the PersonChange + generation + dirty-set contract for every kind of user change.
import { isBridgeError } from "../../src/errors/bridge-error";
import { CORE_GROUP_URN } from "../../src/store/directory-types";
import { redisKeys } from "../../src/store/redis-keys";
import { type StoreFixture, ctx, startStoreFixture, userInput } from "./store-fixture";

let f: StoreFixture;
beforeAll(async () => {
  f = await startStoreFixture();
});
afterAll(() => f.redis.stop());
beforeEach(() => f.reset());

const rejectsWith = async (p: Promise<unknown>, kind: "NotFound" | "Conflict" | "PreconditionFailed") => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isBridgeError(err, kind)).toBe(true);
};

const dirty = (tenant: string) => f.client.zrange(redisKeys.dirtyPersons(tenant), 0, "-1", "WITHSCORES");

describe("creating and reading users", () => {
  it("assigns id and meta, and reads back the same resource", async () => {
    const { resource } = await f.store.createUser(
      "t1",
      userInput("Ada@Example.com", { displayName: "Ada" }),
      ctx,
    );
    expect(resource.id).toBe("id-000001");
    expect(resource.meta).toEqual({
      resourceType: "User",
      created: "2026-01-01T00:00:00.000Z",
      lastModified: "2026-01-01T00:00:00.000Z",
      version: 'W/"1"',
    });
    expect(await f.store.getUser("t1", resource.id)).toEqual(resource);
    expect(resource.userName).toBe("Ada@Example.com");
  });

  it("reports a created person with generation 1 and marks them dirty at the clock's time", async () => {
    const { resource, changes } = await f.store.createUser("t1", userInput("ada"), ctx);
    expect(changes).toEqual([{ personId: resource.id, kind: "created", generation: 1 }]);
    expect(await f.store.getGeneration("t1", resource.id)).toBe(1);
    expect(await dirty("t1")).toEqual([resource.id, String(Date.parse("2026-01-01T00:00:00.000Z"))]);
  });

  it("keeps tenants apart: same userName in two tenants, no reads across", async () => {
    const a = await f.store.createUser("t1", userInput("ada"), ctx);
    await f.store.createUser("t2", userInput("ada"), ctx);
    expect(await f.store.getUser("t2", a.resource.id)).toBeNull();
    const list = await f.store.queryUsers("t2", { filter: null, startIndex: 1, count: 10 });
    expect(list.totalResults).toBe(1);
  });

  it("returns null for ids that could address other keys", async () => {
    const a = await f.store.createUser("t1", userInput("ada"), ctx);
    expect(await f.store.getUser("t1", `${a.resource.id}:groups`)).toBeNull();
    await rejectsWith(f.store.deleteUser("t1", "{kb:t2}", ctx), "NotFound");
  });
});

describe("userName uniqueness (RFC 7643 §4.1.1, caseExact=false)", () => {
  it("refuses a second user whose userName differs only in case", async () => {
    await f.store.createUser("t1", userInput("Ada@Example.com"), ctx);
    await rejectsWith(f.store.createUser("t1", userInput("ada@example.COM"), ctx), "Conflict");
    expect((await f.store.queryUsers("t1", { filter: null, startIndex: 1, count: 10 })).totalResults).toBe(1);
  });

  it("refuses a rename onto another user's userName and allows a case change of one's own", async () => {
    await f.store.createUser("t1", userInput("ada"), ctx);
    const bob = await f.store.createUser("t1", userInput("bob"), ctx);
    await rejectsWith(f.store.replaceUser("t1", bob.resource.id, userInput("ADA"), ctx), "Conflict");
    const renamed = await f.store.replaceUser("t1", bob.resource.id, userInput("Bob"), ctx);
    expect(renamed.resource.userName).toBe("Bob");
  });

  it("frees the old userName after a rename and after a delete", async () => {
    const ada = await f.store.createUser("t1", userInput("ada"), ctx);
    await f.store.replaceUser("t1", ada.resource.id, userInput("ada2"), ctx);
    await f.store.createUser("t1", userInput("ada"), ctx);
    await f.store.deleteUser("t1", ada.resource.id, ctx);
    await f.store.createUser("t1", userInput("ada2"), ctx);
  });
});

describe("updates", () => {
  it("bumps version and lastModified, and reports an attribute change as updated", async () => {
    const ada = await f.store.createUser("t1", userInput("ada"), ctx);
    f.clock.now = new Date("2026-01-02T00:00:00.000Z");
    const r = await f.store.updateUser("t1", ada.resource.id, (u) => ({ ...u, title: "Engineer" }), ctx);
    expect(r.resource.meta.version).toBe('W/"2"');
    expect(r.resource.meta.lastModified).toBe("2026-01-02T00:00:00.000Z");
    expect(r.resource.meta.created).toBe("2026-01-01T00:00:00.000Z");
    expect(r.changes).toEqual([{ personId: ada.resource.id, kind: "updated", generation: 2 }]);
  });

  it("reports active flips as deactivated and activated", async () => {
    const ada = await f.store.createUser("t1", userInput("ada"), ctx);
    const off = await f.store.updateUser("t1", ada.resource.id, (u) => ({ ...u, active: false }), ctx);
    expect(off.changes).toEqual([{ personId: ada.resource.id, kind: "deactivated", generation: 2 }]);
    const on = await f.store.updateUser("t1", ada.resource.id, (u) => ({ ...u, active: true }), ctx);
    expect(on.changes).toEqual([{ personId: ada.resource.id, kind: "activated", generation: 3 }]);
  });

  it("treats a write that changes nothing (also with keys in another order) as no change", async () => {
    const ada = await f.store.createUser(
      "t1",
      userInput("ada", { name: { givenName: "Ada", familyName: "L" } }),
      ctx,
    );
    const same = {
      active: true,
      name: { familyName: "L", givenName: "Ada" },
      userName: "ada",
      schemas: ada.resource.schemas,
    };
    const r = await f.store.replaceUser("t1", ada.resource.id, same, ctx);
    expect(r.changes).toEqual([]);
    expect(r.resource.meta.version).toBe('W/"1"');
    expect(await f.store.getGeneration("t1", ada.resource.id)).toBe(1);
  });

  it("honours If-Match: a stale version is PreconditionFailed, the current one and * pass", async () => {
    const ada = await f.store.createUser("t1", userInput("ada"), ctx);
    await f.store.updateUser("t1", ada.resource.id, (u) => ({ ...u, title: "a" }), {
      ...ctx,
      ifMatch: 'W/"1"',
    });
    const stale = f.store.updateUser("t1", ada.resource.id, (u) => ({ ...u, title: "b" }), {
      ...ctx,
      ifMatch: 'W/"1"',
    });
    await rejectsWith(stale, "PreconditionFailed");
    await f.store.updateUser("t1", ada.resource.id, (u) => ({ ...u, title: "c" }), { ...ctx, ifMatch: "*" });
    await rejectsWith(
      f.store.deleteUser("t1", ada.resource.id, { ...ctx, ifMatch: 'W/"2"' }),
      "PreconditionFailed",
    );
    expect((await f.store.getUser("t1", ada.resource.id))?.title).toBe("c");
  });

  it("updating an unknown user is NotFound", async () => {
    await rejectsWith(f.store.replaceUser("t1", "nobody", userInput("x"), ctx), "NotFound");
  });

  it("does not store the derived groups attribute", async () => {
    const ada = await f.store.createUser("t1", userInput("ada", { groups: [{ value: "g" }] }), ctx);
    expect(ada.resource.groups).toBeUndefined();
  });
});

describe("deleting a user", () => {
  it("removes them from every group, keeps the generation, and getPerson returns null", async () => {
    const ada = await f.store.createUser("t1", userInput("ada"), ctx);
    const bob = await f.store.createUser("t1", userInput("bob"), ctx);
    const g = await f.store.createGroup(
      "t1",
      { schemas: [CORE_GROUP_URN], displayName: "Ops" },
      [ada.resource.id, bob.resource.id],
      ctx,
    );
    expect(await f.store.getGeneration("t1", ada.resource.id)).toBe(2);

    const del = await f.store.deleteUser("t1", ada.resource.id, ctx);
    expect(del.changes).toEqual([{ personId: ada.resource.id, kind: "deleted", generation: 3 }]);
    expect(await f.store.getPerson("t1", ada.resource.id)).toBeNull();
    expect(await f.store.getGeneration("t1", ada.resource.id)).toBe(3);
    const group = await f.store.getGroup("t1", g.resource.id, { members: true });
    expect(group?.members).toEqual([bob.resource.id]);
    expect(group?.group.meta.version).toBe('W/"2"');
    await rejectsWith(f.store.deleteUser("t1", ada.resource.id, ctx), "NotFound");
  });
});

describe("DirectoryReader", () => {
  it("getPerson returns the user, group refs and generation", async () => {
    const ada = await f.store.createUser("t1", userInput("ada"), ctx);
    const g = await f.store.createGroup(
      "t1",
      { schemas: [CORE_GROUP_URN], displayName: "Ops", externalId: "e1" },
      [ada.resource.id],
      ctx,
    );
    const person = await f.store.getPerson("t1", ada.resource.id);
    expect(person).toEqual({
      tenant: "t1",
      user: ada.resource,
      groups: [{ id: g.resource.id, displayName: "Ops", externalId: "e1" }],
      generation: 2,
    });
  });

  it("scanPersonIds pages through every user in creation order; listGroups lists every group", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++)
      ids.push((await f.store.createUser("t1", userInput(`u${i}`), ctx)).resource.id);
    await f.store.deleteUser("t1", ids[3]!, ctx);
    const pages: string[][] = [];
    for await (const page of f.store.scanPersonIds("t1", 3)) pages.push(page);
    expect(pages).toEqual([
      [ids[0], ids[1], ids[2]],
      [ids[4], ids[5], ids[6]],
    ]);
    await f.store.createGroup("t1", { schemas: [CORE_GROUP_URN], displayName: "B" }, [], ctx);
    await f.store.createGroup("t1", { schemas: [CORE_GROUP_URN], displayName: "A" }, [], ctx);
    expect((await f.store.listGroups("t1")).map((g) => g.displayName)).toEqual(["A", "B"]);
  });
});

describe("an update that starts from the copy the caller just read (PATCH reads it for If-Match)", () => {
  it("writes from that copy without reading the user again", async () => {
    const { resource } = await f.store.createUser("t1", userInput("ada", { displayName: "Ada" }), ctx);
    const seen = await f.store.getUser("t1", resource.id);
    const before = Number((await f.client.info("commandstats")).match(/cmdstat_get:calls=(\d+)/)?.[1] ?? 0);
    const { resource: after } = await f.store.updateUser(
      "t1",
      resource.id,
      (u) => ({ ...u, active: false }),
      ctx,
      seen!,
    );
    const gets = Number((await f.client.info("commandstats")).match(/cmdstat_get:calls=(\d+)/)?.[1] ?? 0);
    expect(after.active).toBe(false);
    expect(after.meta.version).toBe('W/"2"');
    // Only the save script's own GET of the resource: no second read from the store.
    expect(gets - before).toBe(1);
  });

  it("loses no concurrent write when the copy is out of date: it reads again and reapplies", async () => {
    const { resource } = await f.store.createUser("t1", userInput("ada", { displayName: "Ada" }), ctx);
    const stale = await f.store.getUser("t1", resource.id);
    await f.store.updateUser("t1", resource.id, (u) => ({ ...u, displayName: "Ada L." }), ctx);
    const seenBy: string[] = [];
    const { resource: after } = await f.store.updateUser(
      "t1",
      resource.id,
      (u) => {
        seenBy.push(u.meta.version);
        return { ...u, active: false };
      },
      ctx,
      stale!,
    );
    expect(seenBy).toEqual(['W/"1"', 'W/"2"']);
    expect(after).toMatchObject({ displayName: "Ada L.", active: false, meta: { version: 'W/"3"' } });
    expect(await f.store.getUser("t1", resource.id)).toEqual(after);
  });
});

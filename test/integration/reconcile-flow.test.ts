// The pipeline end to end on real Redis with memory drivers: joiner, leaver, converged runs making
// no vendor writes, coalescing of a burst, a change landing mid-job, observe mode, a change too large
// to enqueue inline, and the sweeper catching up on lost enqueues.
import { holderExternalId } from "../../src/access/holder-spec";
import { readAuditRecords } from "../../src/audit/export-audit";
import { startDirtySweeper } from "../../src/reconcile/dirty-sweeper";
import { CORE_USER_URN } from "../../src/store/directory-types";
import { redisKeys } from "../../src/store/redis-keys";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { type Harness, heldRefs, queuesIdle, startHarness, TENANT, waitFor } from "./pipeline-harness";

let redis: TestRedis;
let h: Harness;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis.stop();
});
afterEach(async () => {
  await h?.close();
  await redis.flush();
});

const entry = async (system: string, personId: string, profile: string) =>
  (await h.ledger.read(TENANT, system, personId)).entries.find((e) => e.profile === profile);

describe("reconcile flow", () => {
  it("grants a joiner's profiles and revokes them all when the person is deactivated", async () => {
    h = await startHarness(redis);
    const ada = await h.createUser("ada");
    await h.createGroup("Staff", [ada]);
    await h.createGroup("Yard", [ada]);
    // Each key system has its own queue: wait for both before looking at what they hold.
    await waitFor(
      async () =>
        (await entry("lockhall", ada, "office"))?.state === "effective" &&
        (await heldRefs(h, "yard", ada)).length > 0,
      10_000,
      "office effective and the yard granted",
    );
    expect(await heldRefs(h, "lockhall", ada)).toEqual(["profile-1"]);
    expect(await heldRefs(h, "yard", ada)).toEqual(["profile-3"]);
    expect((await entry("lockhall", ada, "office"))?.reasons).toEqual(["staff-office"]);

    await h.setActive(ada, false);
    await waitFor(
      async () =>
        (await entry("lockhall", ada, "office"))?.state === "effective" &&
        (await entry("lockhall", ada, "office"))?.action === "revoke",
      10_000,
      "revocation effective",
    );
    await waitFor(async () => (await entry("yard", ada, "yard-gate"))?.action === "revoke");
    expect(await heldRefs(h, "lockhall", ada)).toEqual([]);
    expect(await heldRefs(h, "yard", ada)).toEqual([]);
    await waitFor(() => queuesIdle(h));
    expect(await h.redis.zcard(redisKeys.dirtyPersons(TENANT))).toBe(0);
  });

  it("revokes everything and removes the holder of a person deleted from the directory", async () => {
    h = await startHarness(redis);
    const zed = await h.createUser("zed");
    await h.createGroup("Staff", [zed]);
    await waitFor(async () => (await entry("lockhall", zed, "office"))?.state === "effective");
    await h.commit({ type: "User", id: zed, operation: "delete" }, (c) => h.store.deleteUser(TENANT, zed, c));
    await waitFor(
      async () => {
        const e = await entry("lockhall", zed, "office");
        return e?.action === "revoke" && e.state === "effective";
      },
      10_000,
      "revoked",
    );
    await waitFor(() => queuesIdle(h));
    const lockhall = h.drivers.get("lockhall")?.keySystem;
    expect(await lockhall?.holderCount(holderExternalId(TENANT, "lockhall", zed))).toBe(0);
    expect((await h.ledger.read(TENANT, "lockhall", zed)).holder.removedAt).toBeDefined();
  });

  it("makes zero vendor writes when re-run on a converged person", async () => {
    h = await startHarness(redis);
    const bo = await h.createUser("bo");
    await h.createGroup("Staff", [bo]);
    await waitFor(async () => (await entry("lockhall", bo, "office"))?.state === "effective");
    await waitFor(() => queuesIdle(h));
    const driver = h.drivers.get("lockhall");
    const before = await driver?.keySystem.writeCount();
    const job = { tenant: TENANT, personId: bo, trigger: "operator" as const, correlationId: "op-1" };
    await h.deps.queues.enqueue("lockhall", job, 5);
    await h.deps.queues.enqueue("lockhall", job, 5);
    await new Promise((r) => setTimeout(r, 300));
    await waitFor(() => queuesIdle(h));
    expect(await driver?.keySystem.writeCount()).toBe(before);
  });

  it("coalesces a burst of eleven changes for one person into one run", async () => {
    h = await startHarness(redis, { startWorkers: false });
    const cy = await h.createUser("cy");
    const groups = [];
    for (const name of ["Staff", "Lab", "Yard", "Other-1", "Other-2"])
      groups.push(await h.createGroup(name, []));
    for (const g of groups) await h.addMembers(g, [cy]);
    for (const g of groups.slice(2)) await h.removeMembers(g, [cy]);
    // Eleven committed changes, and the person waits in each queue once.
    const waiting = await h.deps.queues.queue("lockhall").getJobCounts("prioritized", "wait");
    expect((waiting.prioritized ?? 0) + (waiting.wait ?? 0)).toBe(1);
    const ran: string[] = [];
    h.startWorkers()
      .workers.get("lockhall")
      ?.on("completed", (job) => ran.push(String(job.id)));
    await waitFor(async () => (await entry("lockhall", cy, "lab"))?.state === "effective");
    await waitFor(() => queuesIdle(h));
    expect(ran.length).toBe(1);
    expect(await heldRefs(h, "lockhall", cy)).toEqual(["profile-1", "profile-2"]);
    expect(await heldRefs(h, "yard", cy)).toEqual([]);
  });

  it("does not lose a change that lands while the person's job is running", async () => {
    h = await startHarness(redis, { memory: { lockhall: { latencyMs: 150 } } });
    const di = await h.createUser("di");
    const staff = await h.createGroup("Staff", [di]);
    const lab = await h.createGroup("Lab", []);
    await waitFor(
      async () => (await h.deps.queues.queue("lockhall").getActiveCount()) > 0,
      5_000,
      "job active",
    );
    // The job has read the person already; this change must still reach the key system.
    await h.addMembers(lab, [di]);
    await waitFor(
      async () => (await entry("lockhall", di, "lab"))?.state === "effective",
      15_000,
      "lab effective",
    );
    await waitFor(() => queuesIdle(h), 15_000);
    expect(await heldRefs(h, "lockhall", di)).toEqual(["profile-1", "profile-2"]);
    expect(await h.redis.zcard(redisKeys.dirtyPersons(TENANT))).toBe(0);
    expect(staff).toBeDefined();
  });

  it("catches a mid-job change whose enqueue was lost by comparing generations", async () => {
    h = await startHarness(redis, { memory: { lockhall: { latencyMs: 150 } } });
    const fo = await h.createUser("fo");
    await h.createGroup("Staff", [fo]);
    const lab = await h.createGroup("Lab", []);
    await waitFor(
      async () => (await h.deps.queues.queue("lockhall").getActiveCount()) > 0,
      5_000,
      "job active",
    );
    // Committed without the hook: only the generation (and the dirty set) know about this change.
    await h.store.changeMembers(TENANT, lab, { add: [fo] }, { correlationId: "no-hook" });
    await waitFor(
      async () => (await entry("lockhall", fo, "lab"))?.state === "effective",
      15_000,
      "lab effective",
    );
    expect(await heldRefs(h, "lockhall", fo)).toEqual(["profile-1", "profile-2"]);
  });

  it("observe mode audits the plan and writes nothing to the key system or the ledger", async () => {
    h = await startHarness(redis, { mode: "observe" });
    const ed = await h.createUser("ed");
    await h.createGroup("Staff", [ed]);
    await waitFor(async () => (await h.redis.xlen(redisKeys.auditLog())) > 0 && queuesIdle(h));
    await waitFor(async () => (await h.redis.zcard(redisKeys.dirtyPersons(TENANT))) === 0, 10_000, "clean");
    for (const driver of h.drivers.values()) expect(await driver.keySystem.writeCount()).toBe(0);
    expect((await h.ledger.read(TENANT, "lockhall", ed)).entries).toEqual([]);
    const records = (await h.redis.xrange(redisKeys.auditLog(), "-", "+")).map(([, f]) =>
      JSON.parse(f[1] ?? "{}"),
    );
    const observed = records.filter(
      (r) => r.type === "access.observe_only_plan" && r.data?.system === "lockhall",
    );
    expect(observed.at(-1)?.data?.actions).toEqual(["upsert_holder", "issue_credential", "set_grants"]);
  });

  // A change touching more persons than the hook enqueues inline (a big group created or deleted) is
  // audited before the hook returns; its persons are enqueued behind it, and all are still served.
  it("grants and revokes every member of a group beyond the inline limit", async () => {
    h = await startHarness(redis, { inlinePersons: 10 });
    const members: string[] = [];
    for (let i = 0; i < 40; i++) members.push(await h.createUser(`member-${i}`));
    const held = async () => {
      let n = 0;
      for (const id of members) if ((await heldRefs(h, "lockhall", id)).length > 0) n++;
      return n;
    };

    const staff = await h.createGroup("Staff", members);
    const ofType = async (type: string) =>
      (await readAuditRecords(h.redis, { tenant: TENANT }))
        .filter((r) => r.type === type)
        .map((r) => r.subject.id);
    expect(await ofType("scim.group.created")).toEqual([staff]); // audited before the hook returned
    await waitFor(async () => (await held()) === 40, 20_000, "every member granted");

    await h.commit({ type: "Group", id: staff, operation: "delete" }, (c) =>
      h.store.deleteGroup(TENANT, staff, c),
    );
    expect(await ofType("scim.group.deleted")).toEqual([staff]);
    await waitFor(async () => (await held()) === 0, 20_000, "every member revoked");
  });

  // The sweeper re-enqueues every person whose enqueue was lost, a big group's worth in one sweep.
  it("re-enqueues all 23 lost persons in one sweep of 5-person pages", async () => {
    h = await startHarness(redis, { startWorkers: false });
    for (let i = 0; i < 23; i++) {
      // Committed without the hook: as if the process died between the commit and the enqueue.
      await h.store.createUser(
        TENANT,
        { schemas: [CORE_USER_URN], userName: `lost-${i}`, active: true },
        { correlationId: "lost" },
      );
    }
    const sweeper = startDirtySweeper({
      ...h.deps,
      tenants: async () => [TENANT],
      staleAfterMs: 0,
      everyMs: 3_600_000,
      batch: 5,
    });
    try {
      expect(await sweeper.sweepOnce()).toBe(23);
      for (const system of h.deps.queues.systems()) {
        const counts = await h.deps.queues.queue(system).getJobCounts("prioritized", "waiting");
        expect((counts.prioritized ?? 0) + (counts.waiting ?? 0)).toBe(23);
      }
    } finally {
      await sweeper.close();
    }
  });
});

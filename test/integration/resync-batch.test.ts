// A full resync in batch jobs (reconcile/run-resync-batch.ts) over the real pipeline: converged persons
// are settled by the batch, anyone with something to change gets their own reconcile, and a person whose
// own reconcile writes while the batch looks at them keeps what that run wrote.
import type { MemoryDriver } from "../../connectors/memory/memory-driver";
import { holderExternalId } from "../../src/access/holder-spec";
import { verifyAudit } from "../../src/audit/verify-audit";
import type { KeySystemDriver } from "../../src/drivers/key-system-driver";
import { reconcilePerson } from "../../src/reconcile/reconcile-person";
import { RESYNC_BATCH_JOB, type ResyncBatchJobData } from "../../src/reconcile/resync-batch-job";
import { runResync } from "../../src/reconcile/run-resync";
import { runResyncBatch } from "../../src/reconcile/run-resync-batch";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { type Harness, queuesIdle, startHarness, TENANT, waitFor } from "./pipeline-harness";

let redis: TestRedis;
let h: Harness;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterEach(async () => {
  await h?.close();
  await redis.flush();
});
afterAll(async () => {
  await redis.stop();
});

const SYSTEM = "lockhall";

function lockhall(): MemoryDriver {
  const driver = h.drivers.get(SYSTEM);
  if (!driver) throw new Error("no lockhall driver");
  return driver;
}

/** What the simulated vendor itself holds for the person: vendor refs programmed on live credentials. */
async function vendorHolds(personId: string): Promise<string[]> {
  const externalId = holderExternalId(TENANT, SYSTEM, personId);
  return lockhall().keySystem.store.read((s) => {
    const holder = Object.values(s.holders).find((x) => x.externalId === externalId);
    return Object.values(s.credentials)
      .filter((c) => c.holderId === holder?.holderId && !["returned", "blocked", "lost"].includes(c.status))
      .flatMap((c) => c.programmed.map((g) => g.vendorRef))
      .sort();
  });
}

async function entries(personId: string): Promise<Array<[string, string, string]>> {
  const ledger = await h.ledger.read(TENANT, SYSTEM, personId);
  return ledger.entries.map((e) => [e.profile, e.action, e.state]);
}

/** Persons in Staff with the office effective at the vendor, the queues idle. */
async function staffConverged(names: string[]): Promise<{ ids: string[]; staff: string }> {
  const ids: string[] = [];
  for (const name of names) ids.push(await h.createUser(name));
  const staff = await h.createGroup("Staff", ids);
  for (const id of ids)
    await waitFor(async () => (await vendorHolds(id)).length === 1, 10_000, "office programmed");
  await waitFor(() => queuesIdle(h), 10_000, "queues idle");
  for (const id of ids)
    await waitFor(async () => (await entries(id))[0]?.[2] === "effective", 10_000, "office effective");
  return { ids, staff };
}

it("settles the converged persons, grants and revokes the others through their own runs, audit intact", async () => {
  h = await startHarness(redis);
  const { ids: stay, staff } = await staffConverged(["s0", "s1", "s2", "s3", "s4", "s5", "leaver"]);
  const leaver = stay.pop() ?? "";
  const joiners = [await h.createUser("j0"), await h.createUser("j1")];
  await waitFor(() => queuesIdle(h), 10_000, "queues idle");
  const before = new Map<string, string>();
  for (const id of stay) before.set(id, JSON.stringify((await h.ledger.read(TENANT, SYSTEM, id)).entries));
  // Directory writes whose events were lost: two joiners and one leaver of Staff.
  await h.store.changeMembers(TENANT, staff, { add: joiners, remove: [leaver] }, { correlationId: "lost" });

  await runResync(
    SYSTEM,
    { trigger: "resync", correlationId: "resync-1" },
    { ...h.deps, tenants: async () => [TENANT] },
  );
  await waitFor(async () => (await vendorHolds(leaver)).length === 0, 10_000, "leaver revoked");
  for (const id of joiners)
    await waitFor(async () => (await vendorHolds(id)).length === 1, 10_000, "joiner programmed");
  await waitFor(() => queuesIdle(h), 10_000, "queues idle");

  const epoch = await h.ledger.resyncEpoch(SYSTEM);
  for (const id of stay) {
    expect(await vendorHolds(id)).toEqual(["profile-1"]);
    const ledger = await h.ledger.read(TENANT, SYSTEM, id);
    // Untouched entries; the bookkeeping of an observed, converged run of this resync.
    expect(JSON.stringify(ledger.entries)).toBe(before.get(id));
    expect(ledger.holder.convergedEpoch).toBe(epoch);
    expect(ledger.holder.convergedHash).toBeDefined();
  }
  for (const id of joiners)
    await waitFor(
      async () => JSON.stringify(await entries(id)) === JSON.stringify([["office", "grant", "effective"]]),
      10_000,
      "joiner effective in the ledger",
    );
  expect(await entries(leaver)).toEqual([["office", "revoke", "effective"]]);
  expect((await verifyAudit(h.redis)).ok).toBe(true);
});

it("leaves a ledger alone that the person's own run wrote while the batch looked at them", async () => {
  h = await startHarness(redis);
  const { ids, staff } = await staffConverged(["a", "b", "mover"]);
  const mover = ids[2] ?? "";
  const queue = h.deps.queues.queue(SYSTEM);
  await queue.pause();
  await runResync(
    SYSTEM,
    { trigger: "resync", correlationId: "resync-2" },
    { ...h.deps, tenants: async () => [TENANT] },
  );
  const batches = (await queue.getJobs(["prioritized", "waiting"])).filter(
    (j) => j.name === RESYNC_BATCH_JOB,
  );
  expect(batches).toHaveLength(1);
  const batch = batches[0];
  if (!batch) throw new Error("no batch job");
  await batch.remove();

  // While the batch observes the mover (who still holds the office, as the batch read them), the
  // mover leaves Staff and their own run revokes the office and writes their ledger.
  const moverId = holderExternalId(TENANT, SYSTEM, mover);
  let ownRun: Promise<unknown> = Promise.resolve();
  let ownLedger: unknown;
  const driver = lockhall();
  const racing: KeySystemDriver = Object.create(driver, {
    observe: {
      value: async (externalId: string) => {
        const seen = await driver.observe(externalId);
        if (externalId === moverId) {
          ownRun = (async () => {
            await h.removeMembers(staff, [mover]);
            await reconcilePerson(
              { tenant: TENANT, personId: mover, trigger: "membership", correlationId: "own" },
              SYSTEM,
              h.deps,
            );
            ownLedger = await h.ledger.read(TENANT, SYSTEM, mover);
          })();
          await ownRun;
        }
        return seen;
      },
    },
  });
  const result = await runResyncBatch(SYSTEM, batch.data as ResyncBatchJobData, {
    ...h.deps,
    drivers: new Map([[SYSTEM, racing]]),
  });
  await ownRun;
  expect(result).toMatchObject({ persons: 3, converged: 2, handedOver: 1 });
  // What the mover's own run wrote stands, holder record included (not the batch's stale view of them).
  expect(ownLedger).toBeDefined();
  expect(await h.ledger.read(TENANT, SYSTEM, mover)).toEqual(ownLedger);
  expect(await entries(mover)).toEqual([["office", "revoke", "effective"]]);
  expect(await vendorHolds(mover)).toEqual([]);

  await queue.resume();
  await waitFor(() => queuesIdle(h), 10_000, "queues idle");
  expect(await vendorHolds(mover)).toEqual([]);
  expect(await entries(mover)).toEqual([["office", "revoke", "effective"]]);
  for (const id of ids.slice(0, 2)) expect(await vendorHolds(id)).toEqual(["profile-1"]);
  expect((await verifyAudit(h.redis)).ok).toBe(true);
});

it("keeps one job per person where a batch does not apply: observe mode, or a system without batches", async () => {
  const jobNames = async (system: string) =>
    (await h.deps.queues.queue(system).getJobs(["prioritized", "waiting"])).map((j) => j.name).sort();
  h = await startHarness(redis, { mode: "observe", startWorkers: false });
  const ids = [await h.createUser("o1"), await h.createUser("o2")];
  await h.deps.queues.queue(SYSTEM).obliterate({ force: true });
  await runResync(
    SYSTEM,
    { trigger: "resync", correlationId: "r" },
    { ...h.deps, tenants: async () => [TENANT] },
  );
  // Observe mode records every person's plan in the audit trail: their own runs do that.
  expect(await jobNames(SYSTEM)).toEqual(ids.map(() => "reconcile"));
  await h.close();
  await redis.flush();

  h = await startHarness(redis, { startWorkers: false });
  const more = [await h.createUser("p1"), await h.createUser("p2"), await h.createUser("p3")];
  await h.deps.queues.queue(SYSTEM).obliterate({ force: true });
  await runResync(
    SYSTEM,
    { trigger: "resync", correlationId: "r" },
    { ...h.deps, tenants: async () => [TENANT] },
  );
  expect(await jobNames(SYSTEM)).toEqual([RESYNC_BATCH_JOB]);
  await h.deps.queues.queue(SYSTEM).obliterate({ force: true });
  // A key system with a rate limit (reconcileDeps gives it no batches): the limiter counts jobs.
  await runResync(
    SYSTEM,
    { trigger: "resync", correlationId: "r" },
    { ...h.deps, resyncBatch: () => null, tenants: async () => [TENANT] },
  );
  expect(await jobNames(SYSTEM)).toEqual(more.map(() => "reconcile"));
});

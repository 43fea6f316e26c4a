// The cheap no-op path (reconcile/converged-shortcut.ts): a change-triggered run skips the driver's
// observe only when the ledger proves nothing the plan reads changed; a full resync still observes and
// repairs drift, and anything that takes access away observes and revokes, drift included.
import type { MemoryDriver } from "../../connectors/memory/memory-driver";
import { holderExternalId } from "../../src/access/holder-spec";
import type { ReconcileTrigger } from "../../src/reconcile/reconcile-job";
import { runResync } from "../../src/reconcile/run-resync";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { type Harness, heldRefs, queuesIdle, startHarness, TENANT, waitFor } from "./pipeline-harness";

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

function lockhall(): MemoryDriver {
  const driver = h.drivers.get("lockhall");
  if (!driver) throw new Error("no lockhall driver");
  return driver;
}

async function observes(): Promise<number> {
  return (await lockhall().keySystem.journal()).filter((e) => e.path === "/memory/findHolder").length;
}

async function runJob(personId: string, trigger: ReconcileTrigger): Promise<void> {
  await h.deps.queues.enqueue("lockhall", { tenant: TENANT, personId, trigger, correlationId: trigger }, 5);
  await new Promise((r) => setTimeout(r, 100));
  await waitFor(() => queuesIdle(h), 10_000, "queues idle");
}

/** A change made in the vendor's own console: the bridge's grants on the person's key replaced. */
async function vendorConsoleSetsGrants(personId: string, vendorRefs: string[]): Promise<void> {
  const externalId = holderExternalId(TENANT, "lockhall", personId);
  await lockhall().keySystem.store.transact((s) => {
    const holder = Object.values(s.holders).find((x) => x.externalId === externalId);
    const key = Object.values(s.credentials).find((c) => c.holderId === holder?.holderId);
    if (!key) throw new Error("no key to drift");
    const grants = vendorRefs.map((vendorRef) => ({ vendorRef, bridge: true }));
    key.planned = grants;
    key.programmed = structuredClone(grants);
  });
}

/** Persons in Staff, the office effective for each, the queues idle; returns their ids and Staff's. */
async function converged(...names: string[]): Promise<{ ids: string[]; staff: string }> {
  const ids: string[] = [];
  for (const name of names) ids.push(await h.createUser(name));
  const staff = await h.createGroup("Staff", ids);
  for (const id of ids)
    await waitFor(async () => (await heldRefs(h, "lockhall", id)).length === 1, 10_000, "granted");
  await waitFor(() => queuesIdle(h), 10_000, "queues idle");
  return { ids, staff };
}

it("skips observe for a change that leaves access as it is, and a full resync still observes and repairs drift", async () => {
  h = await startHarness(redis);
  const [bo = ""] = (await converged("bo")).ids;
  // The vendor console takes the office away after the bridge made it effective.
  await vendorConsoleSetsGrants(bo, []);
  let before = await observes();
  await runJob(bo, "updated");
  expect(await observes()).toBe(before); // the ledger proved the plan empty: no vendor call at all
  expect(await heldRefs(h, "lockhall", bo)).toEqual([]);

  before = await observes();
  await runJob(bo, "resync");
  expect(await observes()).toBeGreaterThan(before);
  expect(await heldRefs(h, "lockhall", bo)).toEqual(["profile-1"]);
});

it("observes and revokes on leaving or deactivation even when the key system drifted", async () => {
  h = await startHarness(redis);
  const {
    ids: [bo = "", cy = ""],
    staff,
  } = await converged("bo", "cy");
  // Drift after convergence: the vendor console adds the lab to both keys as if the bridge had.
  await vendorConsoleSetsGrants(bo, ["profile-1", "profile-2"]);
  await vendorConsoleSetsGrants(cy, ["profile-1", "profile-2"]);

  await h.removeMembers(staff, [bo]);
  await waitFor(async () => (await heldRefs(h, "lockhall", bo)).length === 0, 10_000, "bo revoked");

  await h.setActive(cy, false);
  await waitFor(async () => (await heldRefs(h, "lockhall", cy)).length === 0, 10_000, "cy revoked");
});

it("takes the shortcut only after an observed run left every entry effective", async () => {
  h = await startHarness(redis, { memory: { lockhall: { programmingDelayMs: 60_000 } } });
  const bo = await h.createUser("bo");
  await h.createGroup("Staff", [bo]);
  await waitFor(async () => (await heldRefs(h, "lockhall", bo)).length === 1, 10_000, "granted");
  await waitFor(() => queuesIdle(h), 10_000, "queues idle");
  // The grant is still being programmed (pending): a change-triggered run must look at the key system.
  const before = await observes();
  await runJob(bo, "updated");
  expect(await observes()).toBeGreaterThan(before);
});

it("a full resync observes a person whose change-triggered job was still waiting (the resync coalesced into it)", async () => {
  h = await startHarness(redis);
  const [bo = ""] = (await converged("bo")).ids;
  // The vendor console takes the office away after the bridge made it effective.
  await vendorConsoleSetsGrants(bo, []);
  // A backlog: bo's change-triggered job waits when the full resync enqueues everyone, so BullMQ's
  // deduplication keeps the waiting job (trigger "updated") and drops the resync's add.
  const queue = h.deps.queues.queue("lockhall");
  await queue.pause();
  await h.deps.queues.enqueue(
    "lockhall",
    { tenant: TENANT, personId: bo, trigger: "updated", correlationId: "u" },
    5,
  );
  await runResync(
    "lockhall",
    { trigger: "resync", correlationId: "r" },
    { ...h.deps, tenants: async () => [TENANT] },
  );
  const before = await observes();
  await queue.resume();
  await waitFor(() => queuesIdle(h), 10_000, "queues idle");
  expect(await observes()).toBeGreaterThan(before);
  expect(await heldRefs(h, "lockhall", bo)).toEqual(["profile-1"]);
});

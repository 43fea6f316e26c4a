// Revocation first: a deactivation overtakes a backlog of grant jobs in the same key-system queue,
// and raises the person's own waiting low-priority job to priority 1 instead of waiting behind it.
import { PRIORITY } from "../../src/reconcile/reconcile-job";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { type Harness, heldRefs, startHarness, TENANT, waitFor } from "./pipeline-harness";

let redis: TestRedis;
let h: Harness;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await h?.close();
  await redis.stop();
});

const BACKLOG = 2000;

it("a deactivation's revocation runs before a backlog of 2000 grant jobs", async () => {
  h = await startHarness(redis, { concurrency: 1, memory: { lockhall: { latencyMs: 5 } } });
  const leaver = await h.createUser("leaver");
  await h.createGroup("Staff", [leaver]);
  await waitFor(async () => (await heldRefs(h, "lockhall", leaver)).length === 1, 10_000, "granted");
  // Wait until the leaver's own reconciles are over, so the next add is not coalesced into a running one.
  await waitFor(async () => {
    const counts = await h.deps.queues.queue("lockhall").getJobCounts("active", "prioritized", "waiting");
    return counts.active === 0 && counts.prioritized === 0 && counts.waiting === 0;
  });

  const queue = h.deps.queues.queue("lockhall");
  await queue.pause();
  const backlog = Array.from({ length: BACKLOG }, (_, i) => ({
    tenant: TENANT,
    personId: `joiner-${i}`,
    trigger: "resync" as const,
    correlationId: "bulk",
  }));
  await h.deps.queues.enqueueBulk("lockhall", backlog.slice(0, BACKLOG / 2), PRIORITY.change);
  // The leaver already waits in the middle of the backlog at priority 5, as a resync would leave them.
  await h.deps.queues.enqueue(
    "lockhall",
    { tenant: TENANT, personId: leaver, trigger: "resync", correlationId: "bulk" },
    PRIORITY.change,
  );
  await h.deps.queues.enqueueBulk("lockhall", backlog.slice(BACKLOG / 2), PRIORITY.change);
  expect((await queue.getJobCounts("prioritized")).prioritized).toBe(BACKLOG + 1);

  await h.setActive(leaver, false);
  await queue.resume();
  await waitFor(async () => (await heldRefs(h, "lockhall", leaver)).length === 0, 20_000, "revoked");
  const left = (await queue.getJobCounts("prioritized")).prioritized ?? 0;
  // Concurrency 1 and 5 ms per vendor call: the backlog takes seconds; the revocation ran near the start.
  expect(left).toBeGreaterThan(BACKLOG - 50);
  const entry = (await h.ledger.read(TENANT, "lockhall", leaver)).entries.find((e) => e.profile === "office");
  expect(entry?.action).toBe("revoke");
  await queue.obliterate({ force: true });
});

// Revocation first, also when it is pending: the timer that confirms a revocation still waiting for a
// key to be reprogrammed, and the reconcile it hands over to, run at priority 1 ahead of a grant backlog.
import type { Job } from "bullmq";
import { PRIORITY, timerJobId } from "../../src/reconcile/reconcile-job";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { type Harness, startHarness, TENANT, waitFor } from "./pipeline-harness";

let redis: TestRedis;
let h: Harness;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await h?.close();
  await redis.stop();
});

const BACKLOG = 1000;

it("a pending revocation's confirm overtakes a backlog of grant jobs and confirms the revocation first", async () => {
  h = await startHarness(redis, {
    concurrency: 1,
    confirmAfterMs: 800,
    memory: { lockhall: { programmingDelayMs: 300, latencyMs: 5 } },
  });
  const queue = h.deps.queues.queue("lockhall");
  const office = async () =>
    (await h.ledger.read(TENANT, "lockhall", leaver)).entries.find((e) => e.profile === "office");
  const leaver = await h.createUser("leaver");
  await h.createGroup("Staff", [leaver]);
  await waitFor(async () => (await office())?.state === "effective", 10_000, "grant effective");
  await waitFor(async () => {
    const c = await queue.getJobCounts("active", "prioritized", "waiting", "delayed");
    return Object.values(c).every((n) => n === 0);
  });

  // The deactivation's revoke is requested at once and stays pending until the key is reprogrammed.
  await h.setActive(leaver, false);
  await waitFor(
    async () => {
      const e = await office();
      return e?.action === "revoke" && e.state === "pending_programming";
    },
    10_000,
    "revocation pending",
  );
  const dueAt = await waitFor(
    async () => (await h.ledger.read(TENANT, "lockhall", leaver)).holder.timers?.confirm,
    5_000,
    "confirm scheduled",
  );
  const timerId = timerJobId("confirm", TENANT, leaver, dueAt);
  const timer = await waitFor(async () => (await queue.getJob(timerId)) ?? undefined, 5_000, "confirm timer");
  expect(timer.priority).toBe(PRIORITY.revocation);

  // Meanwhile a backlog of grant jobs arrives, ahead of the confirm's due time.
  await queue.pause();
  const backlog = Array.from({ length: BACKLOG }, (_, i) => ({
    tenant: TENANT,
    personId: `joiner-${i}`,
    trigger: "resync" as const,
    correlationId: "bulk",
  }));
  await h.deps.queues.enqueueBulk("lockhall", backlog, PRIORITY.change);
  await waitFor(async () => (await queue.getJobState(timerId)) === "prioritized", 5_000, "confirm due");
  const [first] = await queue.getPrioritized(0, 0);
  expect(first?.id).toBe(timerId);

  const order: Job[] = [];
  h.workers?.workers.get("lockhall")?.on("active", (job) => order.push(job));
  await queue.resume();
  await waitFor(async () => (await office())?.state === "effective", 20_000, "revocation confirmed");
  // The timer ran first and handed over to the leaver's reconcile at priority 1, which ran next.
  expect(order[0]?.id).toBe(timerId);
  expect(order[1]?.data).toMatchObject({ personId: leaver, trigger: "confirm" });
  expect(order[1]?.priority).toBe(PRIORITY.revocation);
  expect((await queue.getJobCounts("prioritized")).prioritized).toBeGreaterThan(BACKLOG - 50);
  await queue.obliterate({ force: true });
});

it("a confirm already waiting for a pending grant is raised to priority 1 when a revocation becomes pending", async () => {
  await h?.close();
  await redis.flush();
  h = await startHarness(redis, {
    confirmAfterMs: 60_000,
    memory: { lockhall: { programmingDelayMs: 30_000 } },
  });
  const queue = h.deps.queues.queue("lockhall");
  const office = async () =>
    (await h.ledger.read(TENANT, "lockhall", kim)).entries.find((e) => e.profile === "office");
  const kim = await h.createUser("kim");
  await h.createGroup("Staff", [kim]);
  await waitFor(async () => (await office())?.state === "pending_programming", 10_000, "grant pending");
  const dueAt = (await h.ledger.read(TENANT, "lockhall", kim)).holder.timers?.confirm;
  if (!dueAt) throw new Error("no confirm scheduled");
  const timerId = timerJobId("confirm", TENANT, kim, dueAt);
  expect((await queue.getJob(timerId))?.priority).toBe(PRIORITY.change);

  await h.setActive(kim, false);
  await waitFor(
    async () => {
      const e = await office();
      return e?.action === "revoke" && e.state === "pending_programming";
    },
    10_000,
    "revocation pending",
  );
  // Same due time (a confirm is not pushed back), now at revocation priority.
  expect((await h.ledger.read(TENANT, "lockhall", kim)).holder.timers?.confirm).toBe(dueAt);
  await waitFor(async () => (await queue.getJob(timerId))?.priority === PRIORITY.revocation, 5_000, "raised");
  expect(await queue.getJobState(timerId)).toBe("delayed");
});

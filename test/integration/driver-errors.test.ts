// Each driver error kind handled as ARCHITECTURE §3 says: retry with backoff, rate-limit pause without
// using an attempt, needs-attention without a retry storm, system pause with an alert, bugs retried.
import type { Job } from "bullmq";
import type { KeySystemDriver } from "../../src/drivers/key-system-driver";
import { redisKeys } from "../../src/store/redis-keys";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { type Harness, heldRefs, startHarness, TENANT, waitFor } from "./pipeline-harness";

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

type Kind = "retryable" | "rate_limited" | "permanent" | "manual_action" | "systemic";

async function withFault(kind: Kind, count: number, extra: Record<string, unknown> = {}) {
  h = await startHarness(redis, {
    startWorkers: false,
    memory: { lockhall: { faults: [{ operation: "setGrants", kind, count, ...extra }] } },
  });
  // The person and their group exist before the workers start: exactly one reconcile job per system.
  const ann = await h.createUser("ann");
  await h.createGroup("Staff", [ann]);
  const completed: Job[] = [];
  const failed: Job[] = [];
  const worker = h.startWorkers().workers.get("lockhall");
  worker?.on("completed", (job) => completed.push(job));
  worker?.on("failed", (job) => job && failed.push(job));
  return { ann, completed, failed };
}

const office = async (personId: string) =>
  (await h.ledger.read(TENANT, "lockhall", personId)).entries.find((e) => e.profile === "office");
const auditTypes = async () =>
  (await h.redis.xrange(redisKeys.auditLog(), "-", "+")).map(
    ([, f]) => JSON.parse(f[1] ?? "{}").type as string,
  );
const effective = (personId: string) => async () => (await office(personId))?.state === "effective";

it("retries a retryable error with backoff until it succeeds", async () => {
  const { ann, completed, failed } = await withFault("retryable", 2);
  await waitFor(effective(ann), 10_000, "effective");
  await waitFor(async () => completed.some((j) => j.data.personId === ann && j.name === "reconcile"));
  const done = completed.find((j) => j.name === "reconcile");
  // BullMQ counts the successful attempt too: two failures, then success.
  expect(failed).toHaveLength(2);
  expect(done?.attemptsMade).toBe(3);
  expect((await auditTypes()).filter((t) => t === "driver.error")).toHaveLength(2);
  expect((await office(ann))?.lastError).toBeUndefined();
});

it("flags the person when retryable errors outlast the attempts", async () => {
  const { ann, failed } = await withFault("retryable", 50);
  await waitFor(async () => failed.length === h.config.reconcile.attempts, 10_000, "attempts used up");
  expect(await h.deps.queues.queue("lockhall").getFailedCount()).toBe(1);
  expect(await h.ledger.attention(TENANT, "lockhall", ann)).toMatchObject({ kind: "retries_exhausted" });
  expect((await office(ann))?.lastError?.code).toBe("DRIVER_RETRYABLE");
});

it("waits out a rate limit without using an attempt", async () => {
  const started = Date.now();
  const { ann, completed, failed } = await withFault("rate_limited", 1, { retryAfterMs: 700 });
  await waitFor(effective(ann), 10_000, "effective");
  await waitFor(async () => completed.some((j) => j.name === "reconcile"));
  expect(Date.now() - started).toBeGreaterThanOrEqual(700);
  const done = completed.find((j) => j.name === "reconcile");
  // Only the successful attempt counts; the rate-limited start used none.
  expect(failed).toHaveLength(0);
  expect(done?.attemptsStarted).toBe(2);
  expect(done?.attemptsMade).toBe(1);
});

it.each([
  ["permanent", "failed", "DRIVER_PERMANENT"],
  ["manual_action", "manual_action", "DRIVER_MANUAL_ACTION"],
] as const)("a %s error fails once, flags the person and is not retried", async (kind, state, code) => {
  const { ann, failed } = await withFault(kind, 1);
  await waitFor(async () => failed.length > 0, 10_000, "job failed");
  expect(failed[0]?.attemptsMade).toBe(1);
  await new Promise((r) => setTimeout(r, 400)); // a retry would now succeed: the fault was used up
  expect(await heldRefs(h, "lockhall", ann)).toEqual([]);
  expect(await office(ann)).toMatchObject({ state, lastError: { code } });
  expect(await h.ledger.attention(TENANT, "lockhall", ann)).toMatchObject({ kind });
  expect((await h.ledger.listWorkItems(TENANT)).length).toBe(kind === "manual_action" ? 1 : 0);
  expect(await auditTypes()).toContain("access.needs_attention");
  // Recorded as a decision: the person leaves the dirty set once the other system has run too.
  await waitFor(async () => (await h.redis.zcard(redisKeys.dirtyPersons(TENANT))) === 0, 5_000, "clean");
});

it("pauses the whole key system on a systemic error, keeps the job, and resumes on request", async () => {
  const { ann, failed, completed } = await withFault("systemic", 1);
  const queue = h.deps.queues.queue("lockhall");
  await waitFor(async () => (await auditTypes()).includes("system.paused"), 10_000, "alert");
  expect(await queue.isPaused()).toBe(true);
  await new Promise((r) => setTimeout(r, 300));
  expect(failed).toHaveLength(0);
  expect(await heldRefs(h, "lockhall", ann)).toEqual([]);
  // The other key system is not affected.
  expect(await h.deps.queues.queue("yard").isPaused()).toBe(false);
  await queue.resume();
  await waitFor(effective(ann), 10_000, "effective after resume");
  await waitFor(async () => completed.some((j) => j.name === "reconcile"));
  const done = completed.find((j) => j.name === "reconcile");
  expect(done?.attemptsStarted).toBe(2);
  expect(done?.attemptsMade).toBe(1);
});

it("retries an unexpected error (a bug) like a transient one", async () => {
  h = await startHarness(redis, { startWorkers: false });
  const real = h.drivers.get("lockhall") as KeySystemDriver;
  let thrown = 0;
  const driverWithBug = new Proxy(real, {
    get(target, prop, receiver) {
      if (prop === "setGrants" && thrown === 0) {
        return async () => {
          thrown++;
          throw new TypeError("cannot read properties of undefined");
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  (h.deps.drivers as Map<string, KeySystemDriver>).set("lockhall", driverWithBug);
  const ann = await h.createUser("ann");
  await h.createGroup("Staff", [ann]);
  const completed: Job[] = [];
  const failed: Job[] = [];
  const worker = h.startWorkers().workers.get("lockhall");
  worker?.on("completed", (job) => completed.push(job));
  worker?.on("failed", (job) => job && failed.push(job));
  await waitFor(effective(ann), 10_000, "effective");
  await waitFor(async () => completed.some((j) => j.name === "reconcile"));
  expect(thrown).toBe(1);
  const done = completed.find((j) => j.name === "reconcile");
  expect(done?.attemptsMade).toBe(2);
  expect(failed).toHaveLength(1);
  const errors = (await h.redis.xrange(redisKeys.auditLog(), "-", "+"))
    .map(([, f]) => JSON.parse(f[1] ?? "{}"))
    .filter((r) => r.type === "driver.error");
  expect(errors.map((r) => r.data.code)).toEqual(["INTERNAL"]);
});

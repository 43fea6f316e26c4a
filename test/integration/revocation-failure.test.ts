// A leaver's revocation that fails raises needs-attention at the first failure (with the error's
// message), not after all attempts, and keeps being retried at revocation priority until it is done.
import type { Job } from "bullmq";
import { startDirtySweeper } from "../../src/reconcile/dirty-sweeper";
import { PRIORITY } from "../../src/reconcile/reconcile-job";
import { redisKeys } from "../../src/store/redis-keys";
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

it("flags a failing revocation at once and keeps retrying it at priority 1", async () => {
  // Backoff long enough to look at the state between the first failure and the retry.
  h = await startHarness(redis, { backoffMs: 3_000, attempts: 12 });
  const ann = await h.createUser("ann");
  await h.createGroup("Staff", [ann]);
  await waitFor(async () => (await heldRefs(h, "lockhall", ann)).length === 1, 10_000, "granted");
  const failed: Job[] = [];
  h.workers?.workers.get("lockhall")?.on("failed", (job) => job && failed.push(job));

  // The vendor answers 503 to the next two requests: the revocation fails twice, then goes through.
  await h.drivers.get("lockhall")?.keySystem.injectFault({ kind: "status", status: 503, times: 2 });
  await h.setActive(ann, false);

  await waitFor(async () => failed.length === 1, 10_000, "first failure");
  const flag = await h.ledger.attention(TENANT, "lockhall", ann);
  expect(flag).toMatchObject({ kind: "revocation_failing", error: { code: "DRIVER_RETRYABLE" } });
  expect(flag?.error?.message).toEqual(expect.any(String));
  expect(flag?.error?.message).not.toBe("");
  // Still being retried (one attempt used of twelve), at revocation priority.
  const job = failed[0] as Job;
  expect(await job.getState()).toBe("delayed");
  expect(job.opts.priority).toBe(PRIORITY.revocation);
  const attention = (await h.redis.xrange(redisKeys.auditLog(), "-", "+"))
    .map(([, f]) => JSON.parse(f[1] ?? "{}"))
    .filter((r) => r.type === "access.needs_attention");
  expect(attention).toHaveLength(1);
  expect(attention[0]).toMatchObject({ reason: "revocation_failing", subject: { id: ann } });

  // The retries complete the revocation and clear the flag.
  // Our own look at the vendor may meet the injected 503 too: that look then just counts as "not yet".
  const revoked = async () => (await heldRefs(h, "lockhall", ann).catch(() => ["?"])).length === 0;
  await waitFor(revoked, 20_000, "revoked");
  await waitFor(async () => (await h.ledger.attention(TENANT, "lockhall", ann)) === null, 5_000, "cleared");
  expect(failed.length).toBeGreaterThanOrEqual(1);
}, 40_000);

it("enqueues a person whose priority cannot be classified, at revocation priority, and sweeps on", async () => {
  await h?.close();
  await redis.flush();
  h = await startHarness(redis, { startWorkers: false });
  const ids: string[] = [];
  for (const name of ["odd", "plain"]) {
    // Committed without the hook: as if the process died between the commit and the enqueue.
    const user = await h.store.createUser(
      TENANT,
      { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: name, active: true },
      { correlationId: "lost" },
    );
    ids.push(user.resource.id);
  }
  // Whatever in a person's data makes the mapping evaluation throw (here: the first person's).
  const access = {
    ...h.deps.access,
    evaluate: (person: Parameters<typeof h.deps.access.evaluate>[0], now: Date) => {
      if (person.user.userName === "odd") throw new TypeError("cannot read properties of null");
      return h.deps.access.evaluate(person, now);
    },
  };
  const sweeper = startDirtySweeper({
    ...h.deps,
    access,
    tenants: async () => [TENANT],
    staleAfterMs: 0,
    everyMs: 3_600_000,
  });
  try {
    expect(await sweeper.sweepOnce()).toBe(2);
  } finally {
    await sweeper.close();
  }
  const jobs = await h.deps.queues.queue("lockhall").getJobs(["prioritized", "waiting"]);
  const priorityOf = (id: string) => jobs.find((j) => j.data.personId === id)?.opts.priority;
  expect(priorityOf(ids[0] as string)).toBe(PRIORITY.revocation);
  expect(priorityOf(ids[1] as string)).toBe(PRIORITY.change);
});

// The sweeper re-enqueues every person whose enqueue was lost, a big group's worth in one sweep: it
// pages through the dirty set rather than taking one page per 30-second round.
import { startDirtySweeper } from "../../src/reconcile/dirty-sweeper";
import { CORE_USER_URN } from "../../src/store/directory-types";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { type Harness, startHarness, TENANT } from "./pipeline-harness";

let redis: TestRedis;
let h: Harness;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await h?.close();
  await redis.stop();
});

it("re-enqueues all 23 lost persons in one sweep of 5-person pages", async () => {
  h = await startHarness(redis, { startWorkers: false });
  for (let i = 0; i < 23; i++) {
    // Committed without the hook: as if the process died between the commit and the enqueue.
    await h.store.createUser(
      TENANT,
      { schemas: [CORE_USER_URN], userName: `lost-${i}`, active: true },
      {
        correlationId: "lost",
      },
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

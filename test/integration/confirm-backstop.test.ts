// The backstop behind the timer jobs: a grant pending at the key system whose confirm timer job is
// gone (lost in a failover, dropped by a bug) is looked at again by the dirty sweeper once the confirm
// is overdue, instead of staying pending_programming for good, and so is a validity end whose timer is
// gone; a person flagged needs-attention is left to that flag (visibly stuck with its reason), unless the
// overdue look takes access away and the flag is for a transient failure (the key system is back).
import { holderExternalId } from "../../src/access/holder-spec";
import { timerJobId } from "../../src/reconcile/reconcile-job";
import { startDirtySweeper } from "../../src/reconcile/dirty-sweeper";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { type Harness, startHarness, TENANT, waitFor } from "./pipeline-harness";

let redis: TestRedis;
let h: Harness | undefined;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  await redis.flush();
});
afterAll(async () => {
  await redis.stop();
});

/** A pending grant whose confirm (a minute away) has lost its timer job; the key programs in 300 ms. */
async function pendingGrantWithLostTimer(): Promise<{ harness: Harness; kim: string }> {
  h = await startHarness(redis, {
    confirmAfterMs: 60_000,
    memory: { lockhall: { programmingDelayMs: 300 } },
  });
  const harness = h;
  const kim = await harness.createUser("kim");
  await harness.createGroup("Staff", [kim]);
  const dueAt = await waitFor(
    async () => {
      const ledger = await harness.ledger.read(TENANT, "lockhall", kim);
      const pending = ledger.entries.some((e) => e.state === "pending_programming");
      return pending ? ledger.holder.timers?.confirm : undefined;
    },
    10_000,
    "grant pending with a confirm",
  );
  const queue = harness.deps.queues.queue("lockhall");
  const timer = await waitFor(
    async () => (await queue.getJob(timerJobId("confirm", TENANT, kim, dueAt))) ?? undefined,
    5_000,
    "confirm timer job",
  );
  await timer.remove();
  // The key is programmed meanwhile; only a look at the key system can tell the ledger.
  const driver = harness.drivers.get("lockhall");
  await waitFor(
    async () => {
      const seen = await driver?.observe(holderExternalId(TENANT, "lockhall", kim));
      return seen?.credentials.some((c) => c.programmedGrants.length > 0);
    },
    10_000,
    "key programmed",
  );
  return { harness, kim };
}

/** The sweeper as `keybridge worker` runs it, its clock two minutes on: the confirm is overdue. */
function sweeperAfterDue(harness: Harness) {
  const later = { now: () => new Date(Date.now() + 120_000) };
  return startDirtySweeper({
    ...harness.deps,
    clock: later,
    tenants: async () => [TENANT],
    everyMs: 3_600_000,
  });
}

it("reconciles a person whose pending grant's confirm never ran, once the confirm is overdue", async () => {
  const { harness, kim } = await pendingGrantWithLostTimer();
  const office = async () =>
    (await harness.ledger.read(TENANT, "lockhall", kim)).entries.find((e) => e.profile === "office");
  const sweeper = sweeperAfterDue(harness);
  try {
    expect(await sweeper.sweepOnce()).toBe(1);
    await waitFor(async () => (await office())?.state === "effective", 10_000, "grant confirmed effective");
  } finally {
    await sweeper.close();
  }
});

it("leaves a person flagged needs-attention to the flag instead of re-enqueueing them", async () => {
  const { harness, kim } = await pendingGrantWithLostTimer();
  await harness.ledger.flagAttention(TENANT, {
    system: "lockhall",
    personId: kim,
    kind: "retries_exhausted",
    at: new Date().toISOString(),
  });
  const sweeper = sweeperAfterDue(harness);
  try {
    expect(await sweeper.sweepOnce()).toBe(0);
  } finally {
    await sweeper.close();
  }
});

it("revokes at a validity end whose timer job was lost, once that end is overdue", async () => {
  h = await startHarness(redis);
  const harness = h;
  const fay = await harness.createUser("fay");
  await harness.createGroup("Staff", [fay]);
  const until = new Date(Date.now() + 3_000).toISOString();
  await harness.setValidUntil(fay, until);
  await waitFor(
    async () => (await harness.ledger.read(TENANT, "lockhall", fay)).holder.timers?.valid_until === until,
    10_000,
    "end scheduled",
  );
  const queue = harness.deps.queues.queue("lockhall");
  const timer = await queue.getJob(timerJobId("valid_until", TENANT, fay, until));
  await timer?.remove();
  await waitFor(async () => Date.now() > Date.parse(until), 5_000, "end passed");
  const sweeper = sweeperAfterDue(harness);
  try {
    expect(await sweeper.sweepOnce()).toBe(1);
    await waitFor(
      async () => {
        const e = (await harness.ledger.read(TENANT, "lockhall", fay)).entries.find(
          (x) => x.profile === "office",
        );
        return e?.action === "revoke" && e.state === "effective";
      },
      10_000,
      "revoked after the end",
    );
  } finally {
    await sweeper.close();
  }
});

it("revokes at an overdue validity end even when an earlier transient failure flagged the person", async () => {
  // The end's timer ran while the key system was down: the revocation exhausted its retries, flagged
  // retries_exhausted, and no SCIM change will come. Only the backstop can take the access away now.
  h = await startHarness(redis);
  const harness = h;
  const fay = await harness.createUser("fay");
  await harness.createGroup("Staff", [fay]);
  const until = new Date(Date.now() + 3_000).toISOString();
  await harness.setValidUntil(fay, until);
  await waitFor(
    async () => (await harness.ledger.read(TENANT, "lockhall", fay)).holder.timers?.valid_until === until,
    10_000,
    "end scheduled",
  );
  const queue = harness.deps.queues.queue("lockhall");
  await (await queue.getJob(timerJobId("valid_until", TENANT, fay, until)))?.remove();
  await harness.ledger.flagAttention(TENANT, {
    system: "lockhall",
    personId: fay,
    kind: "retries_exhausted",
    at: new Date().toISOString(),
  });
  await waitFor(async () => Date.now() > Date.parse(until), 5_000, "end passed");
  const sweeper = sweeperAfterDue(harness);
  try {
    expect(await sweeper.sweepOnce()).toBe(1);
    await waitFor(
      async () => {
        const e = (await harness.ledger.read(TENANT, "lockhall", fay)).entries.find(
          (x) => x.profile === "office",
        );
        return e?.action === "revoke" && e.state === "effective";
      },
      10_000,
      "revoked after the end",
    );
  } finally {
    await sweeper.close();
  }
});

// Time: a future accessValidUntil becomes a delayed revocation job that fires, is re-timed when the
// date changes and is cancelled when the date is cleared; the end date also reaches the driver.
import { holderExternalId } from "../../src/access/holder-spec";
import { timerJobId } from "../../src/reconcile/reconcile-job";
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

/** The person's scheduled revocation: the valid_until timer for the end date the ledger records. */
const timerJob = async (personId: string) => {
  const at = (await h.ledger.read(TENANT, "lockhall", personId)).holder.timers?.valid_until;
  return at
    ? h.deps.queues.queue("lockhall").getJob(timerJobId("valid_until", TENANT, personId, at))
    : undefined;
};
/** Every valid_until timer of the person still waiting, whatever its date. */
const delayedEnds = async (personId: string) =>
  (await h.deps.queues.queue("lockhall").getDelayed()).filter(
    (j) => j.data.personId === personId && j.data.trigger === "valid_until",
  );
const officeEntry = async (personId: string) =>
  (await h.ledger.read(TENANT, "lockhall", personId)).entries.find((e) => e.profile === "office");

it("re-times a scheduled revocation to the new end date and revokes when it is due", async () => {
  h = await startHarness(redis);
  const far = new Date(Date.now() + 3_600_000).toISOString();
  const fay = await h.createUser("fay");
  await h.createGroup("Staff", [fay]);
  await h.setValidUntil(fay, far);
  await waitFor(
    async () => (await officeEntry(fay))?.notAfter === far && (await queuesIdle(h)),
    10_000,
    "granted until far",
  );
  expect(await timerJob(fay).then((j) => j?.delay)).toBeGreaterThan(3_000_000);
  // The end date went to the key system with the grant, so the lock enforces it too.
  const driver = h.drivers.get("lockhall");
  const obs = await driver?.observe(holderExternalId(TENANT, "lockhall", fay));
  expect(obs?.credentials[0]?.plannedGrants).toEqual([{ vendorRef: "profile-1", notAfter: far }]);

  const soon = new Date(Date.now() + 1_500).toISOString();
  await h.setValidUntil(fay, soon);
  await waitFor(
    async () => (await h.ledger.read(TENANT, "lockhall", fay)).holder.timers?.valid_until === soon,
    10_000,
    "re-timed",
  );
  const job = await timerJob(fay);
  expect(job?.delay).toBeLessThan(2_000);
  // The timer for the new date replaced the far one: one scheduled revocation, not two.
  expect((await delayedEnds(fay)).map((j) => j.id)).toEqual([job?.id]);
  expect(await heldRefs(h, "lockhall", fay)).toEqual(["profile-1"]);

  await waitFor(
    async () => {
      const e = await officeEntry(fay);
      return e?.action === "revoke" && e.state === "effective";
    },
    10_000,
    "revoked at the end date",
  );
  expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(soon));
  expect(await heldRefs(h, "lockhall", fay)).toEqual([]);
  const types = (await h.redis.xrange("{kb:audit}:log", "-", "+")).map(
    ([, f]) => JSON.parse(f[1] ?? "{}").type,
  );
  expect(types).toEqual(
    expect.arrayContaining(["revocation.scheduled", "revocation.rescheduled", "revocation.effective"]),
  );
});

it("cancels the scheduled revocation when the end date is cleared", async () => {
  h = await startHarness(redis);
  const gil = await h.createUser("gil");
  await h.createGroup("Staff", [gil]);
  await h.setValidUntil(gil, new Date(Date.now() + 3_600_000).toISOString());
  await waitFor(
    async () => (await timerJob(gil)) !== undefined && (await queuesIdle(h)),
    10_000,
    "scheduled",
  );
  await h.setValidUntil(gil, undefined);
  await waitFor(async () => (await delayedEnds(gil)).length === 0, 10_000, "cancelled");
  await waitFor(() => queuesIdle(h));
  expect((await officeEntry(gil))?.notAfter).toBeUndefined();
  expect(await heldRefs(h, "lockhall", gil)).toEqual(["profile-1"]);
});

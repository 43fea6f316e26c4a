// The CLIQ driver against the CWM-like fake over mutual TLS: the key-systems.md §6.3 scenarios as CLIQ
// plays them (hand-out, remote update, hand-in task, report lost, normal keys, faults, late events).
import type { HarnessContext } from "../../contract/contract-harness";
import { isDriverError } from "../../../src/drivers/driver-error";
import { type CliqFake, startCliqFake } from "../../fakes/cliq/cliq-fake-server";
import { CLIQ_FOREIGN_REF, cliqHarness, createCliqDriver } from "./cliq-harness";

let fake: CliqFake;
const harness = cliqHarness({}, (f) => {
  fake = f;
});
const ctx = { op: { operationId: "op-1" } };
let h: HarnessContext;

beforeEach(async () => {
  h = await harness.setup();
});
afterEach(() => harness.teardown());

async function joiner(externalId = "ext-1", grants = ["ap-office", "ap-lab"]) {
  const { holder } = await h.driver.upsertHolder({ externalId, displayName: "Ada Lovelace" }, ctx.op);
  const issued = await h.driver.issueCredential(holder, harness.credentialSpec(0), ctx.op);
  const granted = await h.driver.setGrants(
    holder,
    grants.map((vendorRef) => ({ vendorRef })),
    ctx.op,
  );
  return { holder, keyId: issued.credentialId, issued, granted };
}

async function mutatingCalls() {
  return (await h.fake.journal()).filter((e) => e.mutating);
}

async function thrown(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected a DriverError");
}

test("joiner: one person, a pool key handed out, grants pending until the key visits a PD", async () => {
  const { keyId, issued, granted } = await joiner();
  expect(issued.effect).toBe("pending_programming");
  expect(issued.manualTasks.map((t) => t.kind)).toEqual(["hand_out_credential"]);
  expect(granted.effect).toBe("pending_programming");
  const before = await h.driver.getCredentialState(keyId);
  expect(before?.plannedGrants.map((g) => g.vendorRef).sort()).toEqual(["ap-lab", "ap-office"]);
  expect(before?.programmedGrants).toEqual([]);
  await h.fake.completeProgramming(keyId);
  const after = await h.driver.getCredentialState(keyId);
  expect(after?.effect).toBe("effective");
  expect(after?.programmedGrants.map((g) => g.vendorRef).sort()).toEqual(["ap-lab", "ap-office"]);
  expect(await h.fake.holderCount("ext-1")).toBe(1);
});

test("replay of the same joiner sends no mutating request", async () => {
  const { holder } = await joiner();
  await h.fake.clearJournal();
  const again = await h.driver.upsertHolder({ externalId: "ext-1", displayName: "Ada Lovelace" }, ctx.op);
  expect(again.created).toBe(false);
  await h.driver.issueCredential(holder, harness.credentialSpec(0), ctx.op);
  await h.driver.setGrants(holder, [{ vendorRef: "ap-office" }, { vendorRef: "ap-lab" }], ctx.op);
  expect(await mutatingCalls()).toEqual([]);
  expect(await h.fake.credentialCount("ext-1")).toBe(1);
});

test("mover: one access change; the key keeps the old set until programmed; foreign profile kept", async () => {
  const { holder, keyId } = await joiner();
  await h.fake.completeProgramming(keyId);
  await h.fake.seedForeignGrant("ext-1", CLIQ_FOREIGN_REF);
  await h.fake.clearJournal();
  const moved = await h.driver.setGrants(
    holder,
    [{ vendorRef: "ap-office" }, { vendorRef: "ap-plant" }],
    ctx.op,
  );
  expect(moved.effect).toBe("pending_programming");
  expect((await mutatingCalls()).map((e) => `${e.method} ${e.path}`)).toEqual([
    `PUT /cwm/api/v0/keys/${keyId}/access`,
  ]);
  const state = await h.driver.getCredentialState(keyId);
  expect(state?.programmedGrants.map((g) => g.vendorRef).sort()).toEqual(["ap-lab", "ap-office"]);
  expect(state?.plannedGrants.map((g) => g.vendorRef).sort()).toEqual(["ap-office", "ap-plant"]);
  const seen = await h.driver.observe("ext-1");
  expect(seen.foreignGrants).toEqual([{ vendorRef: CLIQ_FOREIGN_REF }]);
});

test("leaver: the key is reprogrammed to open nothing; pending until a PD, with the revalidation deadline", async () => {
  const { holder, keyId } = await joiner();
  await h.fake.completeProgramming(keyId);
  const validated = fake.state.key(keyId).revalidation.lastValidatedAt ?? "";
  const ended = await h.driver.deactivateHolder(holder, "2030-01-01T00:00:00.000Z", ctx.op);
  expect(ended.effect).toBe("pending_programming");
  const off = await h.driver.revokeCredential(keyId, "offboarding", ctx.op);
  expect(off.effect).toBe("pending_programming");
  // Revalidation every 7 days (the harness's revalidationDays): the old access lapses then at the latest.
  expect(off.exposureUntil).toBe(new Date(Date.parse(validated) + 7 * 86_400_000).toISOString());
  expect(off.manualTasks).toEqual([
    expect.objectContaining({ kind: "hand_in_credential", credentialId: keyId }),
  ]);
  expect(fake.state.key(keyId)).toMatchObject({ accessProfileIds: [], validity: { mode: "never" } });
  expect((await h.driver.getCredentialState(keyId))?.effect).toBe("pending_programming");
  // The key meets a programming device: CWM confirms it carries no access and validity "never".
  await h.fake.completeProgramming(keyId);
  expect(fake.state.key(keyId).programmed).toMatchObject({
    accessProfileIds: [],
    validity: { mode: "never" },
  });
  expect(fake.state.key(keyId).status).toBe("handed_out");
  expect(await h.driver.getCredentialState(keyId)).toMatchObject({ status: "disabled", effect: "effective" });
  await h.fake.clearJournal();
  const again = await h.driver.revokeCredential(keyId, "offboarding", ctx.op);
  expect(again.effect).toBe("effective");
  expect(again.exposureUntil).toBeUndefined();
  expect(await mutatingCalls()).toEqual([]);
  const blocked = await h.driver.removeHolder(holder, ctx.op);
  expect(blocked).toMatchObject({ removed: false, effect: "manual_action_required" });
  const back = await h.driver.revokeCredential(keyId, "returned", ctx.op);
  expect(back.effect).toBe("effective");
  expect((await h.driver.getCredentialState(keyId))?.status).toBe("returned");
  expect(await h.driver.removeHolder(holder, ctx.op)).toMatchObject({ removed: true, effect: "effective" });
  expect(await h.driver.removeHolder(holder, ctx.op)).toMatchObject({ removed: false, effect: "effective" });
});

test("lost key: pending_propagation with exposureUntil until every cylinder is programmed", async () => {
  const { keyId } = await joiner();
  await h.fake.completeProgramming(keyId);
  const lost = await h.driver.revokeCredential(keyId, "stolen", ctx.op);
  expect(lost.effect).toBe("pending_propagation");
  expect(Date.parse(lost.exposureUntil ?? "")).toBeGreaterThan(Date.now());
  const again = await h.driver.revokeCredential(keyId, "stolen", ctx.op);
  expect(again.effect).toBe("pending_propagation");
  await h.fake.propagateBlocklist();
  expect((await h.driver.getCredentialState(keyId))?.effect).toBe("effective");
  expect((await h.driver.revokeCredential(keyId, "lost", ctx.op)).effect).toBe("effective");
});

test("normal key: an access change becomes cylinder jobs and a programming task, or a manual_action error", async () => {
  const fake = await startCliqFake();
  const driver = createCliqDriver(fake);
  try {
    const { holder } = await driver.upsertHolder(
      { externalId: "ext-5", displayName: "Ada Lovelace" },
      ctx.op,
    );
    const { credentialId } = await driver.issueCredential(
      holder,
      { kind: "physical", serial: "200000001" },
      ctx.op,
    );
    expect(fake.state.key(credentialId).keyType).toBe("normal");
    const result = await driver.setGrants(holder, [{ vendorRef: "ap-lab" }], ctx.op);
    expect(result.effect).toBe("manual_action_required");
    expect(result.manualTasks).toEqual([
      expect.objectContaining({ kind: "program_with_manager", credentialId }),
    ]);
    fake.state.behaviour.normalKeyAccess = "reject";
    const err = await thrown(driver.setGrants(holder, [{ vendorRef: "ap-office" }], ctx.op));
    expect(err).toMatchObject({
      kind: "manual_action",
      vendorSignal: "HTTP 422 requires_cylinder_programming",
    });
  } finally {
    await driver.close();
    await fake.stop();
  }
});

test("no key yet: grants need a hand-out first", async () => {
  const { holder } = await h.driver.upsertHolder(
    { externalId: "ext-2", displayName: "Grace Hopper" },
    ctx.op,
  );
  const none = await h.driver.setGrants(holder, [{ vendorRef: "ap-lab" }], ctx.op);
  expect(none.effect).toBe("manual_action_required");
  expect(none.manualTasks.map((t) => t.kind)).toEqual(["hand_out_credential"]);
});

test("manual key pool: issuing a key is a hand-out task and writes nothing", async () => {
  const fake = await startCliqFake();
  const driver = createCliqDriver(fake, { keyPool: { mode: "manual" } });
  try {
    const { holder } = await driver.upsertHolder(
      { externalId: "ext-4", displayName: "Grace Hopper" },
      ctx.op,
    );
    fake.journal.length = 0;
    const issued = await driver.issueCredential(holder, { kind: "physical" }, ctx.op);
    expect(issued).toMatchObject({ effect: "manual_action_required", credentialId: "" });
    expect(issued.manualTasks.map((t) => t.kind)).toEqual(["hand_out_credential"]);
    expect(fake.journal.filter((e) => e.mutating)).toEqual([]);
  } finally {
    await driver.close();
    await fake.stop();
  }
});

test("a create that timed out is found again instead of duplicated", async () => {
  await h.fake.injectFault({ kind: "timeout_after_commit", pathContains: "persons", delayMs: 2000 });
  const err = await thrown(
    h.driver.upsertHolder({ externalId: "ext-3", displayName: "Alan Turing" }, ctx.op),
  );
  expect(isDriverError(err) && err.kind).toBe("retryable");
  const retry = await h.driver.upsertHolder({ externalId: "ext-3", displayName: "Alan Turing" }, ctx.op);
  expect(retry.created).toBe(false);
  expect(await h.fake.holderCount("ext-3")).toBe(1);
});

test("503, reset and 429 are classified; Retry-After is passed on", async () => {
  await h.fake.injectFault({ kind: "status", status: 503, times: 1 });
  expect(await thrown(h.driver.observe("ext-9"))).toMatchObject({ kind: "retryable" });
  await h.fake.injectFault({ kind: "reset", times: 1 });
  expect(await thrown(h.driver.observe("ext-9"))).toMatchObject({ kind: "retryable" });
  await h.fake.injectFault({ kind: "rate_limit", retryAfterSeconds: 7, times: 1 });
  expect(await thrown(h.driver.observe("ext-9"))).toMatchObject({ kind: "rate_limited", retryAfterMs: 7000 });
  expect((await h.driver.observe("ext-9")).holder).toBeNull();
});

test("late events are picked up by the sequence cursor without gaps or duplicates", async () => {
  const first = await h.driver.pullEvents(null);
  await h.fake.appendEvent({ occurredAt: "2020-05-01T10:00:00.000Z", granted: true });
  await h.fake.appendEvent({ occurredAt: "2019-01-01T10:00:00.000Z", granted: false });
  const second = await h.driver.pullEvents(first.nextCursor);
  expect(second.events.map((e) => [e.kind, e.occurredAt])).toEqual([
    ["access_granted", "2020-05-01T10:00:00.000Z"],
    ["access_denied", "2019-01-01T10:00:00.000Z"],
  ]);
  expect((await h.driver.pullEvents(second.nextCursor)).events).toEqual([]);
});

test("observe and the other reads send no mutating request", async () => {
  const { keyId } = await joiner();
  await h.fake.clearJournal();
  await h.driver.observe("ext-1");
  await h.driver.getCredentialState(keyId);
  await h.driver.listGrantCatalog();
  await h.driver.healthCheck();
  await h.driver.pullEvents(null);
  expect(await mutatingCalls()).toEqual([]);
});

test("describe says CLIQ has no webhooks, and a webhook call is refused", async () => {
  expect(h.driver.describe()).toMatchObject({ webhooks: false, remoteBlock: true, remoteReturn: false });
  const err = await thrown(h.driver.handleWebhook({ headers: {}, rawBody: Buffer.from("{}") }));
  expect(err).toMatchObject({ kind: "permanent" });
});

// Contract scenarios of a person's life in a key system (key-systems.md §6.3: joiner, replay, mover,
// leaver, lost key, manual-only change) and the read-only and ownership obligations.
import type { ContractHarness, HarnessContext } from "./contract-harness";
import {
  expectDriverError,
  grants,
  holderSpec,
  join,
  joinEffective,
  mutatingRequests,
  op,
  refsOf,
} from "./contract-steps";

export function describeLifecycleScenarios(h: ContractHarness, ctx: () => HarnessContext): void {
  const [A, B, C] = h.grantRefs as [string, string, string];

  it("joiner: holder created once, grants pending until programmed, then effective", async () => {
    const { driver, fake } = ctx();
    const j = await join(h, ctx(), "ext-joiner");
    expect(j.created).toBe(true);
    expect(j.result.effect).toBe(h.expect.grantEffect);
    const before = await driver.getCredentialState(j.credentialId);
    expect(refsOf(h, before?.plannedGrants ?? [])).toEqual([A, B].sort());
    expect(before?.effect).toBe(
      h.expect.grantEffect === "pending_programming" ? "pending_programming" : "effective",
    );
    await fake.completeProgramming(j.credentialId);
    const after = await driver.getCredentialState(j.credentialId);
    expect(after?.effect).toBe("effective");
    expect(refsOf(h, after?.programmedGrants ?? [])).toEqual([A, B].sort());
    const seen = await driver.observe("ext-joiner");
    expect(seen.holder?.holderId).toBe(j.holder.holderId);
    expect(seen.credentials.map((c) => c.credentialId)).toContain(j.credentialId);
    expect(await fake.holderCount("ext-joiner")).toBe(1);
  });

  it("replay: the same calls again create nothing and send no mutating request", async () => {
    const { fake } = ctx();
    const first = await joinEffective(h, ctx(), "ext-replay");
    await fake.clearJournal();
    const again = await join(h, ctx(), "ext-replay");
    expect(again.created).toBe(false);
    expect(again.holder.holderId).toBe(first.holder.holderId);
    expect(again.credentialId).toBe(first.credentialId);
    expect(again.result.effect).toBe("effective");
    expect(await mutatingRequests(ctx())).toBe(0);
    expect(await fake.holderCount("ext-replay")).toBe(1);
    expect(await fake.credentialCount("ext-replay")).toBe(1);
  });

  it("holder update: a changed name is written once, the same name again is a no-op", async () => {
    const { driver, fake } = ctx();
    await driver.upsertHolder(holderSpec("ext-rename"), op());
    await fake.clearJournal();
    const renamed = await driver.upsertHolder(holderSpec("ext-rename", "Renamed Person"), op());
    expect(renamed.created).toBe(false);
    expect(await mutatingRequests(ctx())).toBeGreaterThanOrEqual(1);
    await fake.clearJournal();
    await driver.upsertHolder(holderSpec("ext-rename", "Renamed Person"), op());
    expect(await mutatingRequests(ctx())).toBe(0);
  });

  it("deactivate: the validity end is written once, the same end again is a no-op", async () => {
    const { driver, fake } = ctx();
    const j = await joinEffective(h, ctx(), "ext-deactivate");
    const at = "2026-06-30T22:00:00.000Z"; // on the 15-minute grid some vendors require (iLOQ §2.4)
    await fake.clearJournal();
    await driver.deactivateHolder(j.holder, at, op());
    expect(await mutatingRequests(ctx())).toBeGreaterThanOrEqual(1);
    await fake.clearJournal();
    await driver.deactivateHolder(j.holder, at, op());
    expect(await mutatingRequests(ctx())).toBe(0);
  });

  it("mover: declarative diff, old set stays programmed until the credential is updated", async () => {
    const { driver, fake } = ctx();
    const j = await joinEffective(h, ctx(), "ext-mover");
    await fake.clearJournal();
    const moved = await driver.setGrants(j.holder, grants(A, C), op());
    expect(await mutatingRequests(ctx())).toBeGreaterThanOrEqual(1);
    expect(moved.effect).toBe(h.expect.grantEffect);
    const pending = await driver.getCredentialState(j.credentialId);
    expect(refsOf(h, pending?.plannedGrants ?? [])).toEqual([A, C].sort());
    if (h.expect.grantEffect === "pending_programming") {
      expect(refsOf(h, pending?.programmedGrants ?? [])).toEqual([A, B].sort());
    }
    await fake.completeProgramming(j.credentialId);
    const done = await driver.getCredentialState(j.credentialId);
    expect(refsOf(h, done?.programmedGrants ?? [])).toEqual([A, C].sort());
    expect(done?.effect).toBe("effective");
    await fake.clearJournal();
    await driver.setGrants(j.holder, grants(C, A), op());
    expect(await mutatingRequests(ctx())).toBe(0);
  });

  it("leaver: grants removed, credential revoked with an honest effect, holder removed once", async () => {
    const { driver, fake } = ctx();
    const j = await joinEffective(h, ctx(), "ext-leaver");
    await driver.setGrants(j.holder, [], op());
    const revoked = await driver.revokeCredential(j.credentialId, "offboarding", op());
    expect(revoked.effect).toBe(h.expect.offboardingEffect);
    if (revoked.effect === "manual_action_required") expect(revoked.manualTasks.length).toBeGreaterThan(0);
    if (revoked.effect !== "effective") {
      await fake.completeProgramming(j.credentialId);
      const state = await driver.getCredentialState(j.credentialId);
      if (state) expect(state.effect).toBe("effective");
    }
    await fake.clearJournal();
    const again = await driver.revokeCredential(j.credentialId, "offboarding", op());
    expect(again.effect).toBe("effective");
    expect(await mutatingRequests(ctx())).toBe(0);
    await fake.returnCredential?.(j.credentialId);
    const removed = await driver.removeHolder(j.holder, op());
    expect(removed.removed).toBe(true);
    expect((await driver.observe("ext-leaver")).holder).toBeNull();
    await fake.clearJournal();
    expect((await driver.removeHolder(j.holder, op())).removed).toBe(false);
    expect(await mutatingRequests(ctx())).toBe(0);
    expect(await fake.holderCount("ext-leaver")).toBe(0);
  });

  it("lost key: blocked at once, pending propagation with exposureUntil until the locks sync", async () => {
    const { driver, fake } = ctx();
    const j = await joinEffective(h, ctx(), "ext-lost");
    const res = await driver.revokeCredential(j.credentialId, "lost", op());
    expect(res.effect).toBe(h.expect.lostEffect);
    if (!driver.describe().remoteBlock) {
      expect(res.manualTasks.map((t) => t.kind)).toContain("block_credential");
      return;
    }
    if (res.effect === "pending_propagation") {
      expect(Number.isNaN(Date.parse(res.exposureUntil ?? ""))).toBe(false);
      expect((await driver.getCredentialState(j.credentialId))?.effect).toBe("pending_propagation");
      await fake.propagateBlocklist();
    }
    expect((await driver.getCredentialState(j.credentialId))?.effect).toBe("effective");
    await fake.clearJournal();
    await driver.revokeCredential(j.credentialId, "lost", op());
    expect(await mutatingRequests(ctx())).toBe(0);
  });

  it("manual-only change: DriverError manual_action after at most one mutating attempt", async () => {
    const { driver, fake } = ctx();
    const j = await joinEffective(h, ctx(), "ext-manual");
    const desired = await h.arrangeManualOnlyChange(fake, {
      externalId: "ext-manual",
      holderId: j.holder.holderId,
      credentialId: j.credentialId,
    });
    await fake.clearJournal();
    await expectDriverError(driver.setGrants(j.holder, desired, op()), "manual_action");
    expect(await mutatingRequests(ctx())).toBeLessThanOrEqual(1);
  });

  it("observe and the other reads send no mutating request", async () => {
    const { driver, fake } = ctx();
    const j = await joinEffective(h, ctx(), "ext-reads");
    await fake.clearJournal();
    driver.describe();
    expect((await driver.healthCheck()).status).toBe("ok");
    const catalog = await driver.listGrantCatalog();
    for (const ref of h.grantRefs) expect(catalog.find((e) => e.vendorRef === ref)?.changeable).toBe(true);
    await driver.observe("ext-reads");
    await driver.observe("ext-nobody");
    await driver.getCredentialState(j.credentialId);
    await driver.pullEvents(null);
    expect(await mutatingRequests(ctx())).toBe(0);
    expect((await driver.observe("ext-nobody")).holder).toBeNull();
  });

  it("foreign grants are reported and never removed", async () => {
    const { driver, fake } = ctx();
    const j = await joinEffective(h, ctx(), "ext-foreign");
    await fake.seedForeignGrant("ext-foreign", h.foreignGrantRef);
    const seen = await driver.observe("ext-foreign");
    expect(seen.foreignGrants.map((g) => g.vendorRef)).toContain(h.foreignGrantRef);
    await driver.setGrants(j.holder, grants(A, C), op());
    await driver.setGrants(j.holder, [], op());
    await fake.completeProgramming(j.credentialId);
    const after = await driver.observe("ext-foreign");
    expect(after.foreignGrants.map((g) => g.vendorRef)).toContain(h.foreignGrantRef);
    const cred = after.credentials.find((c) => c.credentialId === j.credentialId);
    expect(refsOf(h, cred?.plannedGrants ?? [])).toEqual([]);
  });

  it("writes for one holder are serialised: concurrent setGrants end in one of the desired sets", async () => {
    const { driver, fake } = ctx();
    const j = await joinEffective(h, ctx(), "ext-race");
    await Promise.all([
      driver.setGrants(j.holder, grants(A, C), op()),
      driver.setGrants(j.holder, grants(B, C), op()),
    ]);
    await fake.completeProgramming(j.credentialId);
    const planned = refsOf(h, (await driver.getCredentialState(j.credentialId))?.plannedGrants ?? []);
    expect([[A, C].sort(), [B, C].sort()]).toContainEqual(planned);
  });
}

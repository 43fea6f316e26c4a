// Contract scenarios for vendor faults and event intake (key-systems.md §6.3: session expiry, bad
// password, 503/reset/429, a create that timed out, late audit events, webhook tamper and replay).
import type { ContractHarness, HarnessContext } from "./contract-harness";
import {
  drainEvents,
  expectDriverError,
  grants,
  holderSpec,
  join,
  joinEffective,
  nonLoginRequests,
  op,
  sleep,
} from "./contract-steps";

const ARRIVAL_GAP_MS = 20;

export function describeFaultScenarios(h: ContractHarness, ctx: () => HarnessContext): void {
  const [A, , C] = h.grantRefs as [string, string, string];

  it("session expiry mid-flow: exactly one re-login, then the change succeeds", async () => {
    const { driver, fake } = ctx();
    const j = await joinEffective(h, ctx(), "ext-session");
    const before = await fake.loginAttempts();
    await fake.injectFault({ kind: "session_expiry" });
    const res = await driver.setGrants(j.holder, grants(A, C), op());
    expect(res.effect).toBe(h.expect.grantEffect);
    expect(await fake.loginAttempts()).toBe(before + 1);
  });

  it("bad password: one login attempt, DriverError systemic, never retried", async () => {
    const { driver, fake } = ctx();
    await fake.injectFault({ kind: "session_expiry" });
    await fake.injectFault({ kind: "bad_credentials" });
    const before = await fake.loginAttempts();
    await expectDriverError(driver.observe("ext-badpw"), "systemic");
    expect(await fake.loginAttempts()).toBe(before + 1);
  });

  for (const fault of [
    {
      name: "503",
      once: { kind: "status", status: 503, times: 1 },
      always: { kind: "status", status: 503, times: 1000 },
    },
    { name: "connection reset", once: { kind: "reset", times: 1 }, always: { kind: "reset", times: 1000 } },
  ] as const) {
    it(`${fault.name}: retryable (or retried internally, boundedly), then success`, async () => {
      const { driver, fake } = ctx();
      await driver.observe("ext-transient"); // a session exists, so the fault hits a data request
      await fake.injectFault(fault.once);
      if (h.expect.internalRetries > 0) await driver.observe("ext-transient");
      else await expectDriverError(driver.observe("ext-transient"), "retryable");
      await expect(driver.observe("ext-transient")).resolves.toBeDefined();
      await fake.injectFault(fault.always);
      await fake.clearJournal();
      await expectDriverError(driver.observe("ext-transient"), "retryable");
      expect(await nonLoginRequests(ctx())).toBe(h.expect.internalRetries + 1);
      await fake.clearFaults();
    });
  }

  it("429: rate_limited with retryAfterMs from Retry-After, no retry inside the driver", async () => {
    const { driver, fake } = ctx();
    await driver.observe("ext-429");
    await fake.injectFault({ kind: "rate_limit", retryAfterSeconds: 7, times: 1 });
    await fake.clearJournal();
    const err = await expectDriverError(driver.observe("ext-429"), "rate_limited");
    expect((err as { retryAfterMs?: number }).retryAfterMs).toBe(7000);
    expect(await nonLoginRequests(ctx())).toBe(1);
    await expect(driver.observe("ext-429")).resolves.toBeDefined();
  });

  it("a create that timed out after the vendor applied it is not duplicated on retry", async () => {
    const { driver, fake } = ctx();
    await driver.observe("ext-timeout");
    const delayMs = h.expect.requestTimeoutMs + 300;
    await fake.injectFault({ kind: "timeout_after_commit", pathContains: h.createHolderPath, delayMs });
    const started = Date.now();
    try {
      await driver.upsertHolder(holderSpec("ext-timeout"), op());
    } catch (err) {
      expect((err as { kind?: string }).kind).toBe("retryable");
    }
    const retried = await driver.upsertHolder(holderSpec("ext-timeout"), op());
    expect(retried.holder.externalId).toBe("ext-timeout");
    expect(await fake.holderCount("ext-timeout")).toBe(1);
    // Let the held answer finish before teardown closes the fake.
    await sleep(Math.max(0, delayMs - (Date.now() - started)) + 50);
  });

  it("late audit events: the cursor picks up old-dated events once each, without gaps", async () => {
    const { fake } = ctx();
    const j = await join(h, ctx(), "ext-events");
    const start = await drainEvents(ctx(), null);
    const minute = 60_000;
    const base = Math.floor(Date.now() / minute) * minute;
    const t1 = new Date(base - 120 * minute).toISOString();
    const t2 = new Date(base - 24 * 60 * minute).toISOString(); // older, delivered later
    await fake.appendEvent({ occurredAt: t1, credentialId: j.credentialId });
    await fake.appendEvent({ occurredAt: t2, credentialId: j.credentialId });
    // The events have arrived before the pull (a DB-time window may end just before "now").
    await sleep(ARRIVAL_GAP_MS);
    const first = await drainEvents(ctx(), start.cursor);
    const t3 = new Date(base - 3 * 24 * 60 * minute).toISOString();
    await fake.appendEvent({ occurredAt: t3, credentialId: j.credentialId, granted: false });
    await sleep(ARRIVAL_GAP_MS);
    const second = await drainEvents(ctx(), first.cursor);
    const all = [...first.events, ...second.events];
    const at = (t: string) => all.filter((e) => Date.parse(e.occurredAt) === Date.parse(t)).length;
    expect([at(t1), at(t2), at(t3)]).toEqual([1, 1, 1]);
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    expect(second.events.some((e) => Date.parse(e.occurredAt) === Date.parse(t1))).toBe(false);
    expect((await drainEvents(ctx(), second.cursor)).events).toEqual([]);
  });

  it("webhooks: a tampered delivery is rejected, a replayed one ignored (or refused without the capability)", async () => {
    const { driver, fake } = ctx();
    if (!driver.describe().webhooks) {
      const req = { headers: {}, rawBody: Buffer.from("{}") };
      await expectDriverError(driver.handleWebhook(req), "permanent");
      return;
    }
    if (!fake.signedWebhook) throw new Error("a driver with webhooks needs FakeControl.signedWebhook");
    const fresh = await driver.handleWebhook(await fake.signedWebhook());
    expect(fresh.length).toBeGreaterThan(0);
    expect(await driver.handleWebhook(await fake.signedWebhook({ replay: true }))).toEqual([]);
    await expectDriverError(driver.handleWebhook(await fake.signedWebhook({ tamper: true })), "permanent");
  });
}

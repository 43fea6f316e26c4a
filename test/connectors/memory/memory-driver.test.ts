// Memory-driver behaviour beyond the shared contract: option validation, delays on the injected clock,
// the fault script for pipeline tests, and one simulated key system shared through Redis.
import { memoryDriverFactory, openMemoryKeySystem } from "../../../connectors/memory/memory-driver-factory";
import type { MemoryDriver } from "../../../connectors/memory/memory-driver";
import { DriverRegistry } from "../../../src/drivers/driver-registry";
import type { Clock, KeySystemDriver } from "../../../src/drivers/key-system-driver";
import { silentLogger } from "../../../src/log/logger";
import { startTestRedis, type TestRedis } from "../../helpers/test-redis";

const op = { operationId: "unit-op" };
const grantsOf = (...refs: string[]) => refs.map((vendorRef) => ({ vendorRef }));

function movableClock(start = "2026-03-01T08:00:00.000Z") {
  let now = Date.parse(start);
  const clock: Clock = { now: () => new Date(now) };
  return { clock, advance: (ms: number) => (now += ms) };
}

const deps = (clock: Clock) => ({ logger: silentLogger(), clock, secrets: {} });
const drivers: KeySystemDriver[] = [];
function make(options: unknown, clock: Clock = movableClock().clock): MemoryDriver {
  const d = memoryDriverFactory.create("unit-memory", options, deps(clock)) as MemoryDriver;
  drivers.push(d);
  return d;
}

async function joiner(d: KeySystemDriver, externalId = "ext-1") {
  const { holder } = await d.upsertHolder({ externalId, displayName: "Unit Person" }, op);
  const { credentialId } = await d.issueCredential(holder, { kind: "phone" }, op);
  return { holder, credentialId };
}

afterEach(async () => {
  await Promise.all(drivers.splice(0).map((d) => d.close()));
});

describe("memory driver options", () => {
  it("rejects unknown or invalid options with a ConfigError naming the path", () => {
    expect(() => make({ programmingDelayMs: -1 })).toThrow(
      expect.objectContaining({ code: "BRIDGE_CONFIG_INVALID" }),
    );
    expect(() => make({ latencyMS: 5 })).toThrow(/invalid memory driver options/);
    expect(() => make({ faults: [{ operation: "setGrants", kind: "flaky", count: 1 }] })).toThrow(
      /faults\.0\.kind/,
    );
  });

  it("is built by the registry under the driver name memory, with defaults", () => {
    const registry = new DriverRegistry([memoryDriverFactory]);
    const d = registry.create("hq-memory", "memory", undefined, deps(movableClock().clock));
    drivers.push(d);
    expect(d.driver).toBe("memory");
    expect(d.systemId).toBe("hq-memory");
  });
});

describe("memory driver timing on the injected clock", () => {
  it("programmingDelayMs 0: grants and returns are effective at once", async () => {
    const d = make({});
    const { holder, credentialId } = await joiner(d);
    expect((await d.setGrants(holder, grantsOf("profile-1"), op)).effect).toBe("effective");
    expect((await d.revokeCredential(credentialId, "offboarding", op)).effect).toBe("effective");
  });

  it("pending_programming until the delay has passed on the clock, then effective with the new set", async () => {
    const { clock, advance } = movableClock();
    const d = make({ programmingDelayMs: 60_000 }, clock);
    const { holder, credentialId } = await joiner(d);
    const res = await d.setGrants(holder, grantsOf("profile-1", "profile-2"), op);
    expect(res.effect).toBe("pending_programming");
    expect(res.exposureUntil).toBe("2026-03-01T08:01:00.000Z");
    advance(59_999);
    expect((await d.getCredentialState(credentialId))?.programmedGrants).toEqual([]);
    advance(1);
    const state = await d.getCredentialState(credentialId);
    expect(state?.effect).toBe("effective");
    expect(state?.programmedGrants.map((g) => g.vendorRef).sort()).toEqual(["profile-1", "profile-2"]);
  });

  it("a lost credential is pending_propagation until propagationDelayMs has passed", async () => {
    const { clock, advance } = movableClock();
    const d = make({ propagationDelayMs: 900_000 }, clock);
    const { credentialId } = await joiner(d);
    const res = await d.revokeCredential(credentialId, "stolen", op);
    expect(res).toMatchObject({ effect: "pending_propagation", exposureUntil: "2026-03-01T08:15:00.000Z" });
    advance(900_000);
    expect((await d.getCredentialState(credentialId))?.effect).toBe("effective");
  });
});

describe("memory driver decisions", () => {
  it("asks for a hand-out instead of granting to a holder without a credential", async () => {
    const d = make({});
    const { holder } = await d.upsertHolder({ externalId: "ext-nocred", displayName: "Unit Person" }, op);
    const res = await d.setGrants(holder, grantsOf("profile-1"), op);
    expect(res.effect).toBe("manual_action_required");
    expect(res.manualTasks.map((t) => t.kind)).toEqual(["hand_out_credential"]);
    expect(await d.keySystem.writeCount()).toBe(1); // only the holder create
  });

  it("refuses to remove a holder whose credential is still active (permanent)", async () => {
    const d = make({});
    const { holder } = await joiner(d);
    await expect(d.removeHolder(holder, op)).rejects.toMatchObject({ kind: "permanent" });
  });

  it("rejects an unknown grant ref as permanent", async () => {
    const d = make({});
    const { holder } = await joiner(d);
    await expect(d.setGrants(holder, grantsOf("no-such-profile"), op)).rejects.toMatchObject({
      kind: "permanent",
    });
  });

  it("reports health down with the error code when the login is rejected", async () => {
    const d = make({});
    await d.keySystem.injectFault({ kind: "bad_credentials" });
    expect(await d.healthCheck()).toEqual({ status: "down", detail: "DRIVER_SYSTEMIC" });
  });
});

describe("memory driver webhooks", () => {
  const secrets = { HOOK: "unit-secret" };

  it("requires the named webhook secret at start-up", () => {
    expect(() => make({ webhookSecretName: "HOOK" })).toThrow(/webhook secret not provided/);
  });

  it("accepts a fresh signed delivery once and ignores it when it arrives too late", async () => {
    const { clock, advance } = movableClock();
    const d = memoryDriverFactory.create(
      "unit-memory",
      { webhookSecretName: "HOOK" },
      { ...deps(clock), secrets },
    );
    drivers.push(d);
    const ks = (d as MemoryDriver).keySystem;
    expect(d.describe().webhooks).toBe(true);
    expect(await d.handleWebhook(await ks.signedWebhook())).toHaveLength(1);
    const stale = await ks.signedWebhook();
    advance(5 * 60_000 + 1);
    expect(await d.handleWebhook(stale)).toEqual([]);
    const unsigned = { headers: {}, rawBody: (await ks.signedWebhook()).rawBody };
    await expect(d.handleWebhook(unsigned)).rejects.toMatchObject({ kind: "permanent" });
  });
});

describe("memory driver fault script", () => {
  it("fails the scripted operation the scripted number of times, then works", async () => {
    const d = make({
      faults: [
        { operation: "setGrants", kind: "retryable", count: 2 },
        { operation: "observe", kind: "rate_limited", count: 1, retryAfterMs: 1500 },
      ],
    });
    const { holder } = await joiner(d);
    await expect(d.setGrants(holder, [], op)).rejects.toMatchObject({ code: "DRIVER_RETRYABLE" });
    await expect(d.setGrants(holder, [], op)).rejects.toMatchObject({ code: "DRIVER_RETRYABLE" });
    await expect(d.setGrants(holder, [], op)).resolves.toMatchObject({ effect: "effective" });
    await expect(d.observe("ext-1")).rejects.toMatchObject({ kind: "rate_limited", retryAfterMs: 1500 });
    await expect(d.observe("ext-1")).resolves.toMatchObject({ holder: { holderId: holder.holderId } });
  });
});

describe("memory driver with Redis-backed state", () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it("two drivers (as two processes would) and a control handle share one simulated key system", async () => {
    const options = { redisUrl: redis.url, keyPrefix: "kbunit" };
    const { clock } = movableClock();
    const first = make(options, clock);
    const second = make(options, clock);
    const { holder } = await joiner(first, "ext-shared");
    await first.setGrants(holder, grantsOf("profile-3"), op);
    const again = await second.upsertHolder({ externalId: "ext-shared", displayName: "Unit Person" }, op);
    expect(again).toEqual({ holder, created: false });
    const seen = await second.observe("ext-shared");
    expect(seen.credentials[0]?.plannedGrants).toEqual(grantsOf("profile-3"));
    const control = openMemoryKeySystem("unit-memory", options, clock);
    try {
      expect(await control.writeCount()).toBe(3); // create holder, create credential, put grants
      expect(await control.holderCount("ext-shared")).toBe(1);
    } finally {
      await control.close();
    }
  });
});

describe("memory driver schedules", () => {
  const hours = {
    timeZone: "Europe/Berlin",
    windows: [{ days: ["mon" as const, "fri" as const], startMinute: 420, endMinute: 1080 }],
  };

  it("stores a grant's weekly schedule and reports it back; the same schedule again is a no-op", async () => {
    const d = make({ catalog: [{ vendorRef: "door-1", name: "Door", changeable: true }] });
    expect(d.describe().schedules).toBe(true);
    expect(memoryDriverFactory.capabilities?.schedules).toBe(true);
    const { holder, credentialId } = await joiner(d);
    await d.setGrants(holder, [{ vendorRef: "door-1", schedule: hours }], op);
    const state = await d.getCredentialState(credentialId);
    expect(state?.plannedGrants).toEqual([{ vendorRef: "door-1", schedule: hours }]);
    expect(state?.programmedGrants).toEqual([{ vendorRef: "door-1", schedule: hours }]);
    const again = await d.setGrants(holder, [{ vendorRef: "door-1", schedule: hours }], op);
    expect(again.effect).toBe("effective");
    await d.setGrants(holder, [{ vendorRef: "door-1" }], op);
    expect((await d.getCredentialState(credentialId))?.plannedGrants).toEqual([{ vendorRef: "door-1" }]);
  });
});

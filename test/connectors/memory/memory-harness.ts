// The memory driver's contract harness: the simulated MemoryKeySystem is its fake (in-process, or in a
// private test Redis to exercise the Redis-backed state); also used by bench/driver-bench.ts.
import { memoryDriverFactory } from "../../../connectors/memory/memory-driver-factory";
import type { MemoryDriver } from "../../../connectors/memory/memory-driver";
import type { MemoryKeySystem } from "../../../connectors/memory/memory-key-system";
import type { Clock } from "../../../src/drivers/key-system-driver";
import { silentLogger } from "../../../src/log/logger";
import type { ContractHarness, FakeControl, HarnessContext } from "../../contract/contract-harness";

/** A fixed clock: simulated programming and propagation only complete through the control plane. */
export const fixedClock: Clock = { now: () => new Date("2026-03-01T08:00:00.000Z") };

export function memoryFakeControl(ks: MemoryKeySystem): FakeControl {
  return {
    journal: () => ks.journal(),
    clearJournal: () => ks.clearJournal(),
    completeProgramming: (credentialId) => ks.completeProgramming(credentialId),
    propagateBlocklist: () => ks.propagateBlocklist(),
    injectFault: (fault) => ks.injectFault(fault),
    clearFaults: () => ks.clearFaults(),
    loginAttempts: () => ks.loginAttempts(),
    holderCount: (externalId) => ks.holderCount(externalId),
    credentialCount: (externalId) => ks.credentialCount(externalId),
    seedForeignGrant: (externalId, vendorRef) => ks.seedForeignGrant(externalId, vendorRef),
    appendEvent: (event) => ks.appendEvent(event),
    signedWebhook: (options) => ks.signedWebhook(options),
    roundTrip: () => ks.ping(),
  };
}

export interface MemoryHarnessOptions {
  name?: string;
  /** Redis-backed state (the URL of a private test Redis, read at setup time). */
  redisUrl?: () => string;
  /** Runs before each setup (e.g. flush the test Redis). */
  beforeSetup?: () => Promise<void>;
}

export function createMemoryHarness(opts: MemoryHarnessOptions = {}): ContractHarness {
  let driver: MemoryDriver | undefined;
  const requestTimeoutMs = 300;
  return {
    name: opts.name ?? "memory",
    grantRefs: ["profile-1", "profile-2", "profile-3"],
    foreignGrantRef: "profile-4",
    createHolderPath: "createHolder",
    credentialSpec: (n) => ({ kind: "phone", phone: `+35840000000${n}` }),
    arrangeManualOnlyChange: async () => [{ vendorRef: "profile-1" }, { vendorRef: "manager-only" }],
    expect: {
      grantEffect: "pending_programming",
      offboardingEffect: "pending_programming",
      lostEffect: "pending_propagation",
      internalRetries: 0,
      scheduleTimeZone: "UTC",
      requestTimeoutMs,
    },
    async setup(): Promise<HarnessContext> {
      await opts.beforeSetup?.();
      const options = {
        programmingDelayMs: 60_000,
        propagationDelayMs: 15 * 60_000,
        requestTimeoutMs,
        webhookSecretName: "MEMORY_WEBHOOK",
        ...(opts.redisUrl ? { redisUrl: opts.redisUrl(), keyPrefix: "kbtest" } : {}),
      };
      const deps = {
        logger: silentLogger(),
        clock: fixedClock,
        secrets: { MEMORY_WEBHOOK: "contract-webhook-secret" },
      };
      driver = memoryDriverFactory.create("contract-memory", options, deps) as MemoryDriver;
      return { driver, fake: memoryFakeControl(driver.keySystem) };
    },
    async teardown(): Promise<void> {
      await driver?.close();
      driver = undefined;
    },
  };
}

// The shipped example end to end on the simulated (memory) key system: the example's two vendor key
// systems swapped to `driver: memory`, started through src/runtime as `keybridge start` and as
// `serve` + `worker`; Entra-, Okta- and SailPoint-shaped persons gain and lose the example's grants.
import { verifyAudit } from "../../src/audit/verify-audit";
import type { KeySystemDriver } from "../../src/drivers/key-system-driver";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { type E2eKeybridge, e2eConfig, LAYOUTS, startKeybridge } from "./e2e-processes";
import {
  EXAMPLE_PERSONS,
  EXAMPLE_TENANTS,
  exampleMappings,
  runExamplePersons,
  type VendorSide,
} from "./example-flow";

const SIMULATED = { options: { programmingDelayMs: 150, propagationDelayMs: 150 } };

function memorySide(system: string, driver: () => KeySystemDriver): VendorSide {
  return {
    system,
    async heldRefs(ext) {
      const seen = await driver().observe(ext);
      return seen.credentials
        .filter((c) => c.status !== "returned" && c.status !== "blocked" && c.status !== "lost")
        .flatMap((c) => c.programmedGrants.map((g) => g.vendorRef))
        .sort();
    },
    // The simulator programs by itself after programmingDelayMs. It keeps no schedules (its describe()
    // says schedules: false), so the control room's hours are asserted against the iLOQ fake only.
    program: async () => {},
    revokePendingStates: ["pending_programming", "pending_propagation"],
  };
}

describe.each(LAYOUTS)("the shipped example on simulated key systems (%s)", (layout) => {
  let redis: TestRedis;
  let kb: E2eKeybridge;

  beforeAll(async () => {
    redis = await startTestRedis();
    kb = await startKeybridge(
      e2eConfig({
        ...redis.config,
        mappingsDir: exampleMappings({ "main-iloq": "memory", "substations-cliq": "memory" }),
        tenants: EXAMPLE_TENANTS,
        keySystems: { "main-iloq": SIMULATED, "substations-cliq": SIMULATED },
        reconcile: { backoffMs: 50, confirmAfterMs: 200 },
      }),
      layout,
    );
  });

  afterAll(async () => {
    await kb?.close();
    await redis.stop();
  });

  it("Entra-, Okta- and SailPoint-provisioned persons are granted the example's profiles and revoked", async () => {
    const sides = ["main-iloq", "substations-cliq"].map((s) => memorySide(s, () => kb.driver(s)));
    await runExamplePersons(kb, sides, EXAMPLE_PERSONS);
    // Every tenant's changes reached the one audit chain intact (on a cluster: moved across slots).
    await kb.core.auditOutbox.moveTenants(EXAMPLE_TENANTS.map((t) => t.id));
    const audit = await verifyAudit(kb.core.redis);
    expect(audit.ok).toBe(true);
    expect(audit.count).toBeGreaterThan(0);
  });
});

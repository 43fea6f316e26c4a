// The shared contract suite every key-system driver runs unchanged against its fake (key-systems.md §6.3,
// obligations at the top of src/drivers/key-system-driver.ts). Call it from a *.test.ts file.
//
// Usage: export a ContractHarness from test/connectors/<vendor>/<vendor>-harness.ts (a factory whose name
// ends in "Harness", so bench/driver-bench.ts finds it) and call
// `runDriverContractSuite(<vendor>Harness())` in test/connectors/<vendor>/<vendor>-contract.test.ts.
// Scenarios a key system cannot express are chosen by describe() capabilities and ContractExpectations,
// never skipped: the suite then asserts the capability (e.g. webhooks false → deliveries refused).
import type { ContractHarness, HarnessContext } from "./contract-harness";
import { describeFaultScenarios } from "./fault-scenarios";
import { describeLifecycleScenarios } from "./lifecycle-scenarios";
import { describeScheduleScenarios } from "./schedule-scenarios";

export function runDriverContractSuite(harness: ContractHarness): void {
  describe(`driver contract: ${harness.name}`, () => {
    let current: HarnessContext | undefined;
    const ctx = (): HarnessContext => {
      if (!current) throw new Error("contract suite: setup() has not run");
      return current;
    };

    beforeEach(async () => {
      current = await harness.setup();
    });

    afterEach(async () => {
      current = undefined;
      await harness.teardown();
    });

    it("harness offers at least three assignable grant refs and a separate foreign ref", () => {
      expect(harness.grantRefs.length).toBeGreaterThanOrEqual(3);
      expect(harness.grantRefs).not.toContain(harness.foreignGrantRef);
    });

    describeLifecycleScenarios(harness, ctx);
    describeFaultScenarios(harness, ctx);
    describeScheduleScenarios(harness, ctx);
  });
}

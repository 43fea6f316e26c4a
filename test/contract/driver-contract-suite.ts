// The shared contract suite every key-system driver runs unchanged against its fake (key-systems.md §6.3,
// obligations at the top of src/drivers/key-system-driver.ts). Call it from a *.test.ts file.
import type { ContractHarness } from "./contract-harness";

export function runDriverContractSuite(harness: ContractHarness): void {
  describe(`driver contract: ${harness.name}`, () => {
    it("harness offers at least three assignable grant refs", () => {
      expect(harness.grantRefs.length).toBeGreaterThanOrEqual(3);
      expect(harness.grantRefs).not.toContain(harness.foreignGrantRef);
    });
  });
}

// Settings per key system: observe/enforce from config, and no remote credential for physical keys.
import type { KeySystemDriver } from "../../src/drivers/key-system-driver";
import { systemSettingsFromConfig } from "../../src/reconcile/system-settings";

const driver = (requiresPhysicalHandover: boolean) =>
  ({ describe: () => ({ requiresPhysicalHandover }) }) as unknown as KeySystemDriver;

it("takes the mode from config and issues phone credentials only where no physical handover is needed", () => {
  const settings = systemSettingsFromConfig(
    { keySystems: { a: { mode: "observe", concurrency: 1, options: {} } } },
    new Map([
      ["a", driver(false)],
      ["b", driver(true)],
    ]),
  );
  expect(settings("a")).toEqual({ mode: "observe", credentialPolicy: { kind: "phone" } });
  expect(settings("b")).toEqual({ mode: "enforce", credentialPolicy: null });
});

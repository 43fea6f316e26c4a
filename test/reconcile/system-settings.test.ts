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

it("honours the configured credential kind, and 'none' issues nothing", () => {
  const settings = systemSettingsFromConfig(
    {
      keySystems: {
        tags: { mode: "enforce", concurrency: 1, credential: "tag", options: {} },
        cliq: { mode: "enforce", concurrency: 1, credential: "physical", options: {} },
        off: { mode: "enforce", concurrency: 1, credential: "none", options: {} },
      },
    },
    new Map([
      ["tags", driver(false)],
      ["cliq", driver(true)],
      ["off", driver(false)],
    ]),
  );
  expect(settings("tags").credentialPolicy).toEqual({ kind: "tag" });
  expect(settings("cliq").credentialPolicy).toEqual({ kind: "physical" });
  expect(settings("off").credentialPolicy).toBeNull();
});

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

const attrs = { phoneAttribute: "phoneNumbers", serialAttribute: "urn:x:User:keySerial" };

it("honours the configured credential setting, and 'none' issues nothing", () => {
  const settings = systemSettingsFromConfig(
    {
      keySystems: {
        tags: { mode: "enforce", concurrency: 1, credential: { kind: "tag", ...attrs }, options: {} },
        cliq: { mode: "enforce", concurrency: 1, credential: { kind: "physical", ...attrs }, options: {} },
        off: { mode: "enforce", concurrency: 1, credential: { kind: "none", ...attrs }, options: {} },
      },
    },
    new Map([
      ["tags", driver(false)],
      ["cliq", driver(true)],
      ["off", driver(false)],
    ]),
  );
  expect(settings("tags").credentialPolicy).toEqual({ kind: "tag", ...attrs });
  expect(settings("cliq").credentialPolicy).toEqual({ kind: "physical", ...attrs });
  expect(settings("off").credentialPolicy).toBeNull();
});

// Per key system settings the worker needs, derived from the configuration and the driver.
import type { Config } from "../config/config-schema";
import type { KeySystemDriver } from "../drivers/key-system-driver";
import type { SystemSettings } from "./reconcile-deps";

/**
 * mode from config.keySystems[system] (enforce unless configured), and the credential policy: the
 * configured `credential` setting when set (kind "none": never issue); otherwise a system whose credentials are
 * handed over physically (CLIQ keys) never gets one issued remotely, and others get a phone credential
 * when a person with grants holds none (key-systems.md §5).
 */
export function systemSettingsFromConfig(
  config: Pick<Config, "keySystems">,
  drivers: ReadonlyMap<string, KeySystemDriver>,
): (system: string) => SystemSettings {
  return (system) => {
    const configured = config.keySystems[system]?.credential;
    const physical = drivers.get(system)?.describe().requiresPhysicalHandover ?? true;
    const setting = configured ?? { kind: physical ? "none" : "phone" };
    return {
      mode: config.keySystems[system]?.mode ?? "enforce",
      credentialPolicy: setting.kind === "none" ? null : setting,
    };
  };
}

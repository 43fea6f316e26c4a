// Resolves each tenant's hook receiver settings from the config once, at start-up: the secret named by
// the config must be present (KEYBRIDGE_SECRET_<NAME>[_FILE]), else the process refuses to start
// rather than run a receiver that can only refuse, or worse, accept anything.
import type { Config } from "../config/config-schema";
import { ConfigError } from "../config/config-error";
import { expectedAuthorization } from "./secret-matches";

export interface HookSettings {
  /** Per tenant: the header Okta puts the secret in (lower case) and the value it must carry. */
  okta: Map<string, { header: string; value: string }>;
  /** Per tenant: the whole Authorization header value ISC must send. */
  sailpoint: Map<string, string>;
}

export function resolveHookSettings(config: Config): HookSettings {
  const settings: HookSettings = { okta: new Map(), sailpoint: new Map() };
  const missing: string[] = [];
  const secret = (name: string, path: string) => {
    const value = config.secrets[name];
    if (!value) missing.push(`${path}.secretName: KEYBRIDGE_SECRET_${name} is not set`);
    return value ?? "";
  };
  config.tenants.forEach((tenant, i) => {
    const path = `tenants[${i}].signals`;
    const hook = tenant.signals?.oktaHook;
    if (hook)
      settings.okta.set(tenant.id, {
        header: hook.headerName.toLowerCase(),
        value: secret(hook.secretName, `${path}.oktaHook`),
      });
    const isc = tenant.signals?.sailpoint;
    if (isc)
      settings.sailpoint.set(
        tenant.id,
        expectedAuthorization(isc.auth, secret(isc.secretName, `${path}.sailpoint`)),
      );
  });
  if (missing.length > 0) throw new ConfigError("signal receivers need their secrets", missing);
  return settings;
}

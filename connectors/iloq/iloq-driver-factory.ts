// Builds iLOQ drivers (driver name "iloq") from validated options; the password must be present as a secret.
import { ConfigError } from "../../src/config/config-error";
import type { DriverDeps, DriverFactory } from "../../src/drivers/key-system-driver";
import { IloqDriver } from "./iloq-driver";
import { parseIloqOptions } from "./iloq-options";
import { iloqScopeSchema, resolveIloqOptions } from "./iloq-scope";

export const iloqDriverFactory: DriverFactory = {
  driver: "iloq",
  // Weekly time limits in key slots 2+; phone keys (6), external tags (384) and S5 records (264) (§2.2).
  capabilities: { schedules: true, credentialKinds: ["phone", "tag", "physical"] },
  scopeSchema: iloqScopeSchema,
  create(systemId: string, options: unknown, deps: DriverDeps, scope?: unknown): IloqDriver {
    const parsed = resolveIloqOptions(systemId, parseIloqOptions(systemId, options), scope);
    const missing = [parsed.passwordSecret, parsed.apiKeySecret, parsed.webhookSignKeySecret].filter(
      (name): name is string => name !== undefined && !deps.secrets[name],
    );
    if (missing.length) {
      throw new ConfigError(
        `key system ${systemId}: iloq driver secrets missing`,
        missing.map((n) => `secret ${n} is not set (KEYBRIDGE_SECRET_${n})`),
      );
    }
    return new IloqDriver(systemId, parsed, deps);
  },
};

// Builds CLIQ drivers from configuration: validates the options and reads the API certificate at start-up.
import type { DriverDeps, DriverFactory, KeySystemDriver } from "../../src/drivers/key-system-driver";
import { CliqDriver } from "./cliq-driver";
import { parseCliqOptions, resolveTlsMaterial } from "./cliq-options";
import { cliqScopeSchema, resolveCliqSettings } from "./cliq-scope";
import { CliqTransport } from "./cliq-transport";

export const cliqDriverFactory: DriverFactory = {
  driver: "cliq",
  scopeSchema: cliqScopeSchema,
  create(systemId: string, options: unknown, deps: DriverDeps, scope?: unknown): KeySystemDriver {
    const parsed = resolveCliqSettings(systemId, parseCliqOptions(systemId, options), scope);
    const tls = resolveTlsMaterial(systemId, parsed, deps.secrets);
    const transport = new CliqTransport(parsed.baseUrl, tls, parsed.requestTimeoutMs);
    const logger = deps.logger.child({ driver: "cliq", systemId });
    return new CliqDriver(systemId, parsed, transport, deps.clock, logger);
  },
};

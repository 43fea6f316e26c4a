// Builds CLIQ drivers from configuration: validates the options and reads the API certificate at start-up.
import type { DriverDeps, DriverFactory, KeySystemDriver } from "../../src/drivers/key-system-driver";
import { CliqDriver } from "./cliq-driver";
import { parseCliqOptions, resolveTlsMaterial } from "./cliq-options";
import { CliqTransport } from "./cliq-transport";

export const cliqDriverFactory: DriverFactory = {
  driver: "cliq",
  create(systemId: string, options: unknown, deps: DriverDeps): KeySystemDriver {
    const parsed = parseCliqOptions(systemId, options);
    const tls = resolveTlsMaterial(systemId, parsed, deps.secrets);
    const transport = new CliqTransport(parsed.baseUrl, tls, parsed.requestTimeoutMs);
    const logger = deps.logger.child({ driver: "cliq", systemId });
    return new CliqDriver(systemId, parsed, transport, deps.clock, logger);
  },
};

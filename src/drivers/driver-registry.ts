// Builds drivers from configuration by driver name; the factories are registered in src/deps.ts.
import { ConfigError } from "../config/config-error";
import type { DriverDeps, DriverFactory, KeySystemDriver } from "./key-system-driver";

export class DriverRegistry {
  private readonly factories = new Map<string, DriverFactory>();

  constructor(factories: DriverFactory[]) {
    for (const f of factories) this.factories.set(f.driver, f);
  }

  names(): string[] {
    return [...this.factories.keys()];
  }

  create(systemId: string, driver: string, options: unknown, deps: DriverDeps): KeySystemDriver {
    const factory = this.factories.get(driver);
    if (!factory) {
      throw new ConfigError(
        `key system ${systemId}: unknown driver "${driver}" (known: ${this.names().join(", ")})`,
      );
    }
    return factory.create(systemId, options, deps);
  }
}

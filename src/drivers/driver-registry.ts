// Builds drivers from configuration by driver name; the factories are registered in src/deps.ts.
import { ConfigError } from "../config/config-error";
import type { DriverDeps, DriverFactory, KeySystemDriver, StaticCapabilities } from "./key-system-driver";

export class DriverRegistry {
  private readonly factories = new Map<string, DriverFactory>();

  constructor(factories: DriverFactory[]) {
    for (const f of factories) this.factories.set(f.driver, f);
  }

  names(): string[] {
    return [...this.factories.keys()];
  }

  /** A driver kind's static capabilities (undefined for an unknown driver or one that declares none). */
  capabilities(driver: string): StaticCapabilities | undefined {
    return this.factories.get(driver)?.capabilities;
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

// Builds drivers from configuration by driver name; the factories are registered in src/deps.ts.
import { ConfigError } from "../config/config-error";
import type { z } from "zod";
import type {
  DriverDeps,
  DriverFactory,
  KeySystemDriver,
  KeySystemScope,
  StaticCapabilities,
} from "./key-system-driver";

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

  /** Each driver's scope schema by driver name, for the mapping loader (which must not import connectors). */
  scopeSchemas(): ReadonlyMap<string, z.ZodType<KeySystemScope>> {
    return new Map([...this.factories].map(([name, f]) => [name, f.scopeSchema]));
  }

  create(
    systemId: string,
    driver: string,
    options: unknown,
    deps: DriverDeps,
    scope?: unknown,
  ): KeySystemDriver {
    const factory = this.factories.get(driver);
    if (!factory) {
      throw new ConfigError(
        `key system ${systemId}: unknown driver "${driver}" (known: ${this.names().join(", ")})`,
      );
    }
    return factory.create(systemId, options, deps, scope);
  }
}

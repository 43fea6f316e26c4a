// Reads a key system's mapping `scope` with its driver's schema when the driver is built. The mapping
// loader has already checked it (with file and line); this second parse gives the driver the typed value
// and stops a hand-built driver (tests, benches) from running on a scope the loader would refuse.
import type { z } from "zod";
import { ConfigError } from "../config/config-error";

export function parseKeySystemScope<T>(
  systemId: string,
  driver: string,
  schema: z.ZodType<T>,
  scope: unknown,
): T {
  const parsed = schema.safeParse(scope ?? {});
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    `key system ${systemId}: invalid ${driver} scope in the mappings`,
    parsed.error.issues.map((i) => `scope.${i.path.join(".") || "(root)"}: ${i.message}`),
  );
}

/**
 * One setting, one place: a value may come from the mapping scope or from the driver options, and when
 * both give it they must agree (two different answers would send requests to two places).
 */
export function oneSetting(
  systemId: string,
  name: { scope: string; option: string },
  fromScope: string | undefined,
  fromOptions: string | undefined,
): string | undefined {
  if (fromScope !== undefined && fromOptions !== undefined && fromScope !== fromOptions) {
    throw new ConfigError(
      `key system ${systemId}: scope.${name.scope} in the mappings and options.${name.option} in the config differ`,
      [
        `scope.${name.scope}: ${fromScope}`,
        `options.${name.option}: ${fromOptions}`,
        "keep only one of them",
      ],
    );
  }
  return fromScope ?? fromOptions;
}

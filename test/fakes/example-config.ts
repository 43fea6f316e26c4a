// The keybridge configuration that points the shipped example's key systems at the simulators: the
// block to paste under `keySystems:` and the secrets to export. One source for the simulator banners,
// the README walk-through and the test that runs the example against both simulators.
import { stringify } from "yaml";

export interface SimulatedSystemConfig {
  /** The example's key system id (mappings/key-systems.yaml). */
  system: string;
  /** `keySystems.<system>` of the config file. */
  settings: Record<string, unknown>;
  /** KEYBRIDGE_SECRET_* variables keybridge needs, name → value. */
  env: Record<string, string>;
}

/** The config-file text and shell lines an operator pastes, exactly as `keybridge simulate` prints them. */
export function renderSimulatedConfig(c: SimulatedSystemConfig): string {
  const yaml = stringify({ keySystems: { [c.system]: c.settings } }, { lineWidth: 0 }).trimEnd();
  const env = Object.entries(c.env).map(([k, v]) => `export ${k}=${v}`);
  return [
    `  Paste into your config file (KEYBRIDGE_CONFIG), merged with any other keySystems entries:`,
    ...yaml.split("\n").map((l) => `    ${l}`),
    env.length > 0
      ? `  and set in the environment of keybridge start:\n${env.map((l) => `    ${l}`).join("\n")}`
      : "  No secrets needed (the certificate files are named in the options).",
    `  The mapping scope (mappings/key-systems.yaml) names the rest; do not repeat it in the options.`,
  ].join("\n");
}

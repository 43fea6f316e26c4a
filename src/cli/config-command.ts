// `keybridge config check|docs`: validate the configuration as `start` would, or print the README's
// config table.
import type { Config } from "../config/config-schema";
import { renderConfigTable } from "../config/config-table";
import { loadConfig } from "../config/load-config";
import type { CliCommand } from "./cli-command";
import { checkConfiguration } from "./check-configuration";
import { describeCliError } from "./describe-cli-error";
import type { CommandIo } from "./mappings-command";

const USAGE = `usage:
  keybridge config check   validate KEYBRIDGE_CONFIG, the environment, the mapping directory and every
                           key system's driver options, as start does; list the key systems
  keybridge config docs    print the configuration reference table (README)
`;

export interface ConfigCommandDeps {
  loadConfig: () => Config;
  io: CommandIo;
}

const defaults: ConfigCommandDeps = {
  loadConfig: () => loadConfig(),
  io: { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) },
};

export async function runConfigCommand(argv: string[], deps: ConfigCommandDeps = defaults): Promise<number> {
  const [sub] = argv;
  if (sub === "docs") {
    deps.io.out(`${renderConfigTable()}\n`);
    return 0;
  }
  if (sub !== "check") {
    deps.io.err(USAGE);
    return 2;
  }
  try {
    await checkConfiguration(deps.loadConfig(), deps.io);
    return 0;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code !== "BRIDGE_CONFIG_INVALID" && code !== "BRIDGE_MAPPING_INVALID") throw err;
    deps.io.err(`keybridge config check: ${describeCliError(err)}\n`);
    return 1;
  }
}

export const configCommand: CliCommand = {
  name: "config",
  summary: "check the configuration as start would (config check) or print its reference table (config docs)",
  usage: USAGE,
  run: (argv) => runConfigCommand(argv),
};

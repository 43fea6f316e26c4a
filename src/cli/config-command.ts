// `keybridge config check|docs`: validate the configuration, or print the README's config table.
import { loadConfig } from "../config/load-config";
import { renderConfigTable } from "../config/config-table";
import type { CliCommand } from "./cli-command";

export const configCommand: CliCommand = {
  name: "config",
  summary: "check the configuration (config check) or print its reference table (config docs)",
  async run(argv) {
    const [sub] = argv;
    if (sub === "docs") {
      process.stdout.write(`${renderConfigTable()}\n`);
      return 0;
    }
    if (sub === "check") {
      const config = loadConfig();
      process.stdout.write(
        `configuration ok: ${config.tenants.length} tenant(s), ${Object.keys(config.keySystems).length} key system(s)\n`,
      );
      return 0;
    }
    process.stderr.write("usage: keybridge config check|docs\n");
    return 2;
  },
};

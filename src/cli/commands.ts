// The list of `keybridge` subcommands. Each lives in its own file under src/cli/.
import { accessCommand } from "./access-command";
import { auditCommand } from "./audit-command";
import type { CliCommand } from "./cli-command";
import { mappingsCommand } from "./mappings-command";
import { simulateCommand } from "./simulate-command";
import { tokensCommand } from "./tokens-command";

export const commands: CliCommand[] = [
  tokensCommand,
  auditCommand,
  mappingsCommand,
  accessCommand,
  simulateCommand,
];

// The list of `keybridge` subcommands. Each lives in its own file under src/cli/.
import { accessCommand } from "./access-command";
import { attentionCommand } from "./attention-command";
import { auditCommand } from "./audit-command";
import type { CliCommand } from "./cli-command";
import { configCommand } from "./config-command";
import { mappingsCommand } from "./mappings-command";
import { serveCommand, startCommand, workerCommand } from "./process-commands";
import { signalsCommand } from "./signals-command";
import { simulateCommand } from "./simulate-command";
import { tokensCommand } from "./tokens-command";
import { workItemsCommand } from "./work-items-command";

// biome-ignore format: one command per line keeps merges clean
export const commands: CliCommand[] = [
  startCommand,
  serveCommand,
  workerCommand,
  tokensCommand,
  mappingsCommand,
  accessCommand,
  attentionCommand,
  workItemsCommand,
  auditCommand,
  configCommand,
  simulateCommand,
  signalsCommand,
];

// The list of `keybridge` subcommands. Each lives in its own file under src/cli/.
import type { CliCommand } from "./cli-command";
import { accessCommand } from "./access-command";
import { mappingsCommand } from "./mappings-command";

export const commands: CliCommand[] = [mappingsCommand, accessCommand];

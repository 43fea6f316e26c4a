// The list of `keybridge` subcommands. Each lives in its own file under src/cli/.
import type { CliCommand } from "./cli-command";
import { simulateCommand } from "./simulate-command";

export const commands: CliCommand[] = [simulateCommand];

// The list of `keybridge` subcommands. Each lives in its own file under src/cli/.
import { auditCommand } from "./audit-command";
import type { CliCommand } from "./cli-command";
import { tokensCommand } from "./tokens-command";

export const commands: CliCommand[] = [tokensCommand, auditCommand];

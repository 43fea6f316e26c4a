// `keybridge <command> --help`: recognised before a command runs, so asking for help never starts a
// service, opens Redis or writes anything (before this, `keybridge start --help` started a server).
import type { CliCommand } from "./cli-command";

export function commandUsage(command: CliCommand): string {
  const text = command.usage ?? `usage: keybridge ${command.name}\n  ${command.summary}\n`;
  return text.endsWith("\n") ? text : `${text}\n`;
}

/** True when the words after the command name ask for help. */
export function wantsHelp(argv: string[]): boolean {
  return argv.some((word) => word === "--help" || word === "-h");
}

// The shape of one `keybridge` subcommand. Commands print to stdout and return an exit code.
export interface CliCommand {
  /** e.g. "tokens" or "mappings"; the first word after `keybridge`. */
  name: string;
  summary: string;
  /** Printed by `keybridge <name> --help` (which then starts nothing); defaults to the summary. */
  usage?: string;
  /** Receives the words after the command name. */
  run(argv: string[]): Promise<number>;
}

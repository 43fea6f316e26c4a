// Entry point of the `keybridge` command (bin/keybridge.js): dispatches to a subcommand. `--help` after
// any command prints its usage and starts nothing; failures are one line naming cause and fix, with
// the stack only under `--debug`.
import { commandUsage, wantsHelp } from "./command-help";
import { commands } from "./commands";
import { describeCliError } from "./describe-cli-error";

function usage(): string {
  const lines = commands.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`);
  return `usage: keybridge <command> [options]   (keybridge <command> --help for its options)

commands:
${lines.join("\n")}

Every command reads the same REDIS_URL and KEYBRIDGE_CONFIG as the server it inspects.
--debug prints the stack of an error.
`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(usage());
    return name ? 0 : 1;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`keybridge: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  if (wantsHelp(rest)) {
    process.stdout.write(commandUsage(command));
    return 0;
  }
  return command.run(rest);
}

// A reader that stops early (`keybridge audit export | head`) closes the pipe: that is the reader's
// choice, not a failure, so the command ends quietly as Unix tools do instead of reporting EPIPE.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code !== "EPIPE") throw err;
  process.exit(0);
});

const debug = process.argv.includes("--debug");
main(process.argv.slice(2).filter((word) => word !== "--debug")).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const detail = debug ? `\n${(err as Error)?.stack ?? String(err)}` : "";
    process.stderr.write(`keybridge: ${describeCliError(err)}${detail}\n`);
    process.exitCode = 1;
  },
);

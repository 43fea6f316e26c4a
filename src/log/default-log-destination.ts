// Where logs go by default: readable colour lines when a person watches (stdout is a terminal), JSON
// lines otherwise — what log shippers and `docker logs | jq` expect.
import type { DestinationStream } from "pino";
import pretty from "pino-pretty";

export function defaultLogDestination(
  stdout: NodeJS.WriteStream = process.stdout,
): DestinationStream | undefined {
  if (!stdout.isTTY) return undefined; // pino's own JSON to stdout
  return pretty({
    destination: stdout,
    colorize: true,
    translateTime: "SYS:HH:MM:ss.l",
    // Same on every line: the service name, pid and host say nothing to someone at the terminal.
    ignore: "pid,hostname,service",
    sync: true,
  });
}

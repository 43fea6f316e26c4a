// The pino logger factory: JSON logs (pretty on a terminal), secrets and personal fields redacted in one place.
import pino from "pino";
import { defaultLogDestination } from "./default-log-destination";

export type Logger = pino.Logger;

const REDACT = [
  "authorization",
  "*.authorization",
  "req.headers.authorization",
  "token",
  "*.token",
  "password",
  "*.password",
  "Password",
  "*.Password",
  "secret",
  "*.secret",
  "email",
  "*.email",
  "userName",
  "*.userName",
  "body",
  "*.body",
];

/**
 * Fields of error objects that carry request data rather than describe the failure: ioredis puts the
 * whole command with its arguments on every reply error (`command.args` held a user's name and email
 * from a failed directory write, issue #9); HTTP client errors carry bodies and headers.
 */
const UNSAFE_ERROR_FIELDS = new Set([
  "command",
  "args",
  "argv",
  "body",
  "headers",
  "data",
  "request",
  "response",
]);

function stripUnsafe(value: unknown, depth: number): void {
  if (depth > 5 || value === null || typeof value !== "object") return;
  for (const key of Object.keys(value)) {
    if (UNSAFE_ERROR_FIELDS.has(key)) delete (value as Record<string, unknown>)[key];
    else stripUnsafe((value as Record<string, unknown>)[key], depth + 1);
  }
}

/** pino's error serializer (message, stack, causes), without the fields above at any depth. */
export function serializeError(err: unknown): unknown {
  const serialized = pino.stdSerializers.err(err as Error);
  stripUnsafe(serialized, 0);
  return serialized;
}

export function createLogger(level: string = "info", destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT, censor: "[redacted]" },
      // pid: `start` runs the API and the workers as processes writing to one destination.
      base: { service: "keybridge", pid: process.pid },
      serializers: { err: serializeError, error: serializeError },
    },
    destination ?? defaultLogDestination(),
  );
}

/** A logger that writes nothing, for tests and CLI commands that print their own output. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}

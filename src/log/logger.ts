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
];

export function createLogger(level: string = "info", destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: REDACT, censor: "[redacted]" }, base: { service: "keybridge" } },
    destination ?? defaultLogDestination(),
  );
}

/** A logger that writes nothing, for tests and CLI commands that print their own output. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}

// Raised when configuration is invalid; the process refuses to start and prints every violation.
export class ConfigError extends Error {
  readonly code = "BRIDGE_CONFIG_INVALID";
  constructor(
    message: string,
    readonly violations: string[] = [],
  ) {
    super(violations.length ? `${message}\n  ${violations.join("\n  ")}` : message);
    this.name = "ConfigError";
  }
}

// Domain errors of the directory and the SCIM edge. Checked by `code`, never by instanceof, because
// errors cross Redis and process boundaries (ARCHITECTURE §3). Messages carry no personal data.
export const BRIDGE_ERROR_CODES = {
  NotFound: "BRIDGE_NOT_FOUND",
  Conflict: "BRIDGE_CONFLICT",
  PreconditionFailed: "BRIDGE_PRECONDITION_FAILED",
  InvalidValue: "BRIDGE_INVALID_VALUE",
  Unavailable: "BRIDGE_UNAVAILABLE",
} as const;

export type BridgeErrorKind = keyof typeof BRIDGE_ERROR_CODES;
export type BridgeErrorCode = (typeof BRIDGE_ERROR_CODES)[BridgeErrorKind];

export class BridgeError extends Error {
  readonly code: BridgeErrorCode;
  constructor(
    readonly kind: BridgeErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "BridgeError";
    this.code = BRIDGE_ERROR_CODES[kind];
  }
}

export function isBridgeError(err: unknown, kind?: BridgeErrorKind): err is BridgeError {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== "string" || !code.startsWith("BRIDGE_")) return false;
  return kind === undefined || code === BRIDGE_ERROR_CODES[kind];
}

// The only error a driver may throw. Its kind steers the reconcile retry policy (ARCHITECTURE §3).
// Check by `code`/`kind`, not instanceof: errors cross Redis inside BullMQ job records.
export type DriverErrorKind = "retryable" | "rate_limited" | "permanent" | "manual_action" | "systemic";

export const DRIVER_ERROR_CODES = {
  retryable: "DRIVER_RETRYABLE",
  rate_limited: "DRIVER_RATE_LIMITED",
  permanent: "DRIVER_PERMANENT",
  manual_action: "DRIVER_MANUAL_ACTION",
  systemic: "DRIVER_SYSTEMIC",
} as const;

export interface DriverErrorOptions {
  /** For rate_limited: how long the vendor asked us to wait. */
  retryAfterMs?: number;
  /** Vendor signal behind the classification, e.g. "CanOrder=1" or "HTTP 503" (no personal data). */
  vendorSignal?: string;
  cause?: unknown;
}

export class DriverError extends Error {
  readonly code: (typeof DRIVER_ERROR_CODES)[DriverErrorKind];
  readonly retryAfterMs?: number;
  readonly vendorSignal?: string;
  constructor(
    readonly kind: DriverErrorKind,
    message: string,
    options: DriverErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "DriverError";
    this.code = DRIVER_ERROR_CODES[kind];
    this.retryAfterMs = options.retryAfterMs;
    this.vendorSignal = options.vendorSignal;
  }
}

export function isDriverError(err: unknown): err is DriverError {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("DRIVER_");
}

/** Reads the kind back from an error that may have crossed Redis as a plain object or message. */
export function driverErrorKind(err: unknown): DriverErrorKind | undefined {
  if (!isDriverError(err)) return undefined;
  const entry = Object.entries(DRIVER_ERROR_CODES).find(([, code]) => code === err.code);
  return entry?.[0] as DriverErrorKind | undefined;
}

// What the simulated vendor answers instead of a result (HTTP-like), and its one classification into
// DriverError kinds (ARCHITECTURE §3: each boundary classifies in exactly one place).
import { DriverError } from "../../src/drivers/driver-error";

export type VendorFaultReason =
  | "status" // 5xx
  | "reset" // connection reset before an answer
  | "rate_limit" // 429 + Retry-After
  | "session" // session expired or unknown
  | "auth" // login rejected (wrong credentials)
  | "timeout" // no answer within the driver's timeout
  | "manual" // the change needs a physical/manager step
  | "invalid" // unknown reference or bad request
  | "precondition"; // state forbids it (e.g. delete a holder with active credentials)

export class VendorFault extends Error {
  constructor(
    readonly reason: VendorFaultReason,
    readonly status: number,
    readonly retryAfterSeconds?: number,
  ) {
    super(`simulated vendor fault: ${reason}`);
    this.name = "VendorFault";
  }
}

const MSG = {
  retryable: "memory key system temporarily unavailable",
  rate_limited: "memory key system rate limit reached",
  systemic: "memory key system rejected the login",
  manual_action: "memory key system change needs a manual step",
  permanent: "memory key system rejected the request",
} as const;

/** Maps a simulated vendor answer to the driver error the reconcile pipeline acts on. */
export function classifyMemoryFault(fault: VendorFault): DriverError {
  const vendorSignal = fault.reason === "timeout" ? "timeout" : `HTTP ${fault.status}`;
  switch (fault.reason) {
    case "status":
    case "reset":
    case "timeout":
    case "session": // only reaches here when the single re-login did not help
      return new DriverError("retryable", MSG.retryable, { vendorSignal, cause: fault });
    case "rate_limit":
      return new DriverError("rate_limited", MSG.rate_limited, {
        vendorSignal,
        retryAfterMs: (fault.retryAfterSeconds ?? 1) * 1000,
        cause: fault,
      });
    case "auth":
      return new DriverError("systemic", MSG.systemic, { vendorSignal, cause: fault });
    case "manual":
      return new DriverError("manual_action", MSG.manual_action, { vendorSignal, cause: fault });
    case "invalid":
    case "precondition":
      return new DriverError("permanent", MSG.permanent, { vendorSignal, cause: fault });
  }
}

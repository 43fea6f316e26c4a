// Maps every iLOQ signal to a DriverError kind, in one place (ARCHITECTURE §3; key-systems.md §2.4, §2.7, §5).
import { DriverError, type DriverErrorKind } from "../../src/drivers/driver-error";

/** vendorSignal of an unknown-id answer ([3p] a Message containing "Invalid value", §2.7). */
export const INVALID_VALUE = "INVALID_VALUE";

export const MESSAGES = {
  auth: "iLOQ login rejected; not retried to avoid vendor lockout",
  authLatched: "iLOQ login failed earlier; not retried until the driver is reconfigured",
  maintenance: "iLOQ database update in progress; login temporarily disabled",
  session: "iLOQ session rejected after a fresh login",
  status: "iLOQ answered with an error status",
  network: "iLOQ request failed on the network",
  timeout: "iLOQ request timed out",
  rateLimited: "iLOQ rate limit",
  gateway: "iLOQ API gateway refused the API key",
  precheck: "iLOQ pre-check refused the change",
  lockGroup: "iLOQ lock group not available to this API user",
} as const;

/** CreateSessionResultType (§2.1): only 1 is a session; 4 is maintenance; everything else is systemic. */
export function classifyCreateSession(result: number): DriverError | null {
  if (result === 1) return null;
  const signal = `CreateSession=${result}`;
  if (result === 4) return new DriverError("retryable", MESSAGES.maintenance, { vendorSignal: signal });
  return new DriverError("systemic", MESSAGES.auth, { vendorSignal: signal });
}

/** Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(header: string | null, now: Date): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/**
 * An HTTP error answer. iLOQ documents only 200 (§2.7), so statuses are classified by their HTTP
 * meaning; a 401/403 on a data call is a session problem the client handles before this is reached.
 */
export function classifyHttpStatus(status: number, message: string, retryAfter?: number): DriverError {
  const signal = `HTTP ${status}`;
  if (status === 429)
    return new DriverError("rate_limited", MESSAGES.rateLimited, {
      vendorSignal: signal,
      retryAfterMs: retryAfter ?? 60_000,
    });
  if (status >= 500 || status === 408)
    return new DriverError("retryable", MESSAGES.status, { vendorSignal: signal });
  if (status === 401) return new DriverError("systemic", MESSAGES.session, { vendorSignal: signal });
  if (status === 403) return new DriverError("systemic", MESSAGES.gateway, { vendorSignal: signal });
  if (/invalid value/i.test(message))
    return new DriverError("permanent", MESSAGES.status, { vendorSignal: INVALID_VALUE });
  return new DriverError("permanent", MESSAGES.status, { vendorSignal: signal });
}

/** Resets, refused connections, DNS and timeouts are transient: the reconcile queue backs off. */
export function classifyNetworkError(err: unknown): DriverError {
  const name = (err as { name?: string } | null)?.name;
  if (name === "TimeoutError" || name === "AbortError") {
    return new DriverError("retryable", MESSAGES.timeout, { vendorSignal: "timeout", cause: err });
  }
  return new DriverError("retryable", MESSAGES.network, { vendorSignal: "network", cause: err });
}

type CodeTable = Record<number, DriverErrorKind>;

/** CanOrderKeyResultType (§2.4) → kind; 0 is OK. */
export const CAN_ORDER: CodeTable = {
  1: "manual_action", // needs iLOQ Manager + programming token
  2: "permanent", // not a phone / 5 Series key
  3: "permanent", // licence limit exceeded (capacity)
  4: "permanent", // wrong state: re-plan from a fresh read
  5: "permanent",
  6: "permanent", // rights outside the key's zones (configuration)
  7: "permanent",
  8: "permanent", // key is blocklisted
  9: "permanent", // phone key without phone number
  10: "permanent",
  11: "permanent", // too many time limits (capacity)
  12: "permanent", // main zone required
  13: "permanent", // no person attached
  14: "permanent", // external tag without TagKey
  [-1]: "retryable",
};

/**
 * CanAddTimeLimit (§2.4) → kind; 0 OK. Every refusal is permanent: capacity (1, 12), versions (2–5),
 * off-grid or inverted times (7, 13: a bridge bug, the mapping loader keeps the grid) or blocklisted (15).
 */
export const CAN_ADD_TIME_LIMIT: CodeTable = { [-1]: "retryable" };

/** CanOrderS40BlacklistResult (§2.4) → kind; 0 OK, 2 "no changes" counts as already ordered. */
export const CAN_ORDER_BLACKLIST: CodeTable = { 1: "manual_action", 3: "permanent" };

/** PniPersonCanDeleteErrorType (§2.4) → kind; 0 OK. */
export const CAN_DELETE_PERSON: CodeTable = {
  1: "manual_action", // has active keys: return or hand them in first
  2: "manual_action",
  3: "manual_action",
  4: "permanent",
  5: "permanent",
  6: "permanent",
  7: "manual_action",
  8: "systemic", // the API user lacks the right
  9: "permanent",
  10: "permanent",
  [-1]: "retryable",
};

/** Builds the error for a refusing pre-check code, or null when the code means OK. */
export function precheckError(check: string, table: CodeTable, code: number, okCode = 0): DriverError | null {
  if (code === okCode) return null;
  const kind = table[code] ?? "permanent";
  return new DriverError(kind, MESSAGES.precheck, { vendorSignal: `${check}=${code}` });
}

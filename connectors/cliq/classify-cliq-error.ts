// The one place where CLIQ vendor signals become DriverError kinds (ARCHITECTURE §3). The HTTP statuses and
// error codes are those of the "CWM-like v0" contract (key-systems.md §6.2, all [inf]); the kinds follow
// the error classes of key-systems.md §5 and the contract in src/drivers/key-system-driver.ts.
import { DriverError } from "../../src/drivers/driver-error";

export interface CliqHttpSignal {
  status: number;
  /** The `code` of the `{code, message}` error body, when there is one. */
  code?: string;
  retryAfter?: string;
}

export interface CliqTransportSignal {
  /** Node's error code, e.g. ECONNRESET, ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED, CERT_HAS_EXPIRED. */
  errorCode?: string;
  /** Whether the TLS handshake had completed when the connection failed. */
  phase: "connect" | "handshake" | "exchange";
  timedOut: boolean;
}

const DEFAULT_RETRY_AFTER_MS = 1000;

/** Certificate verification failures of the CWM server certificate, as Node reports them. */
const SERVER_CERT_CODES = new Set([
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_REVOKED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** Conflicts that an operator resolves by hand (a physical key must move), not a re-plan. */
const MANUAL_CODES = new Set(["requires_cylinder_programming", "person_has_keys", "key_not_in_stock"]);

/** Retry-After as delta-seconds or HTTP-date (RFC 9110 §10.2.3); a missing or bad value gets a default. */
export function parseRetryAfterMs(value: string | undefined, now: Date): number {
  if (!value) return DEFAULT_RETRY_AFTER_MS;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? DEFAULT_RETRY_AFTER_MS : Math.max(0, at - now.getTime());
}

export function classifyCliqHttp(signal: CliqHttpSignal, now: Date): DriverError {
  const { status, code } = signal;
  const vendorSignal = code ? `HTTP ${status} ${code}` : `HTTP ${status}`;
  if (status === 401) {
    // The API certificate is unknown, expired or revoked: every later call fails the same way, and
    // CWM ties certificates to a programming key and role (§1.4), so alert instead of retrying.
    return new DriverError("systemic", "CLIQ rejected the API certificate", { vendorSignal });
  }
  if (status === 429) {
    return new DriverError("rate_limited", "CLIQ rate limit reached", {
      vendorSignal,
      retryAfterMs: parseRetryAfterMs(signal.retryAfter, now),
    });
  }
  if (status >= 500) {
    const retryAfterMs = signal.retryAfter ? parseRetryAfterMs(signal.retryAfter, now) : undefined;
    return new DriverError("retryable", "CLIQ is unavailable", { vendorSignal, retryAfterMs });
  }
  if (status === 403) {
    // Role or domain of the API certificate does not allow this (§1.2 administration roles, domains).
    return new DriverError("permanent", "CLIQ role or domain does not permit this", { vendorSignal });
  }
  if ((status === 409 || status === 422) && code && MANUAL_CODES.has(code)) {
    return new DriverError("manual_action", "CLIQ change needs an operator", { vendorSignal });
  }
  if (status === 422) return new DriverError("permanent", "CLIQ refused the change", { vendorSignal });
  if (status === 409) return new DriverError("permanent", "CLIQ state conflict", { vendorSignal });
  if (status === 404) return new DriverError("permanent", "CLIQ resource not found", { vendorSignal });
  return new DriverError("permanent", "CLIQ rejected the request", { vendorSignal });
}

export function classifyCliqTransport(signal: CliqTransportSignal, cause?: unknown): DriverError {
  const errorCode = signal.errorCode ?? "unknown";
  if (signal.timedOut) {
    return new DriverError("retryable", "CLIQ request timed out", { vendorSignal: "timeout", cause });
  }
  const tlsRefusal =
    SERVER_CERT_CODES.has(errorCode) ||
    errorCode.startsWith("ERR_SSL_") ||
    errorCode === "EPROTO" ||
    // With TLS 1.2 the server checks our certificate inside the handshake; a connection dropped there
    // is how a refused client certificate reads on the client side.
    (signal.phase === "handshake" && errorCode === "ECONNRESET");
  if (tlsRefusal) {
    return new DriverError("systemic", "CLIQ TLS handshake failed", {
      vendorSignal: `TLS ${signal.phase} ${errorCode}`,
      cause,
    });
  }
  return new DriverError("retryable", "CLIQ connection failed", {
    vendorSignal: `network ${errorCode}`,
    cause,
  });
}

// Each CLIQ vendor signal maps to the DriverError kind the reconcile retry policy relies on (README table).
import {
  classifyCliqHttp,
  classifyCliqTransport,
  parseRetryAfterMs,
} from "../../../connectors/cliq/classify-cliq-error";

const now = new Date("2026-01-01T00:00:00.000Z");

test.each([
  [401, "certificate_rejected", "systemic"],
  [401, undefined, "systemic"],
  [403, "domain_not_permitted", "permanent"],
  [403, "procedure_not_permitted", "permanent"],
  [404, "key_not_found", "permanent"],
  [409, "key_not_handed_out", "permanent"],
  [409, "key_not_in_stock", "manual_action"],
  [409, "person_has_keys", "manual_action"],
  [422, "requires_cylinder_programming", "manual_action"],
  [422, "access_list_capacity", "permanent"],
  [422, "profile_outside_domain", "permanent"],
  [400, "invalid_body", "permanent"],
  [500, "internal", "retryable"],
  [502, undefined, "retryable"],
  [503, "maintenance", "retryable"],
  [429, "rate_limited", "rate_limited"],
] as const)("HTTP %i %s → %s", (status, code, kind) => {
  const err = classifyCliqHttp({ status, code }, now);
  expect(err.kind).toBe(kind);
  expect(err.vendorSignal).toBe(code ? `HTTP ${status} ${code}` : `HTTP ${status}`);
});

test("429 carries Retry-After in ms, as seconds or as an HTTP date; a missing header gets 1 s", () => {
  expect(classifyCliqHttp({ status: 429, retryAfter: "7" }, now).retryAfterMs).toBe(7000);
  expect(
    classifyCliqHttp({ status: 429, retryAfter: "Thu, 01 Jan 2026 00:00:30 GMT" }, now).retryAfterMs,
  ).toBe(30_000);
  expect(classifyCliqHttp({ status: 429 }, now).retryAfterMs).toBe(1000);
  expect(parseRetryAfterMs("soon", now)).toBe(1000);
});

test.each([
  [{ phase: "handshake", errorCode: "ECONNRESET", timedOut: false }, "systemic"],
  [{ phase: "exchange", errorCode: "ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED", timedOut: false }, "systemic"],
  [
    { phase: "exchange", errorCode: "ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED", timedOut: false },
    "systemic",
  ],
  [{ phase: "handshake", errorCode: "EPROTO", timedOut: false }, "systemic"],
  [{ phase: "handshake", errorCode: "DEPTH_ZERO_SELF_SIGNED_CERT", timedOut: false }, "systemic"],
  [{ phase: "handshake", errorCode: "ERR_TLS_CERT_ALTNAME_INVALID", timedOut: false }, "systemic"],
  [{ phase: "exchange", errorCode: "ECONNRESET", timedOut: false }, "retryable"],
  [{ phase: "connect", errorCode: "ECONNREFUSED", timedOut: false }, "retryable"],
  [{ phase: "connect", errorCode: "ENOTFOUND", timedOut: false }, "retryable"],
  [{ phase: "handshake", errorCode: "ECONNRESET", timedOut: true }, "retryable"],
] as const)("transport %o → %s", (signal, kind) => {
  expect(classifyCliqTransport(signal).kind).toBe(kind);
});

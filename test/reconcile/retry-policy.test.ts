// The retry policy table: what each driver error kind does to a reconcile job (ARCHITECTURE §3).
import { DriverError } from "../../src/drivers/driver-error";
import { backoffDelay, decideFailure, MAX_BACKOFF_MS } from "../../src/reconcile/retry-policy";

const limits = { attemptsMade: 0, maxAttempts: 5, defaultRateLimitMs: 1000 };

describe("decideFailure", () => {
  it.each([
    [
      "retryable",
      new DriverError("retryable", "HTTP 503"),
      { action: "retry", kind: "retryable", flagOnExhaustion: false },
    ],
    [
      "rate_limited with Retry-After",
      new DriverError("rate_limited", "429", { retryAfterMs: 7000 }),
      { action: "rate_limit", delayMs: 7000 },
    ],
    [
      "rate_limited without Retry-After",
      new DriverError("rate_limited", "429"),
      { action: "rate_limit", delayMs: 1000 },
    ],
    ["permanent", new DriverError("permanent", "bad ref"), { action: "needs_attention", kind: "permanent" }],
    [
      "manual_action",
      new DriverError("manual_action", "hand in"),
      { action: "needs_attention", kind: "manual_action" },
    ],
    ["systemic", new DriverError("systemic", "auth rejected"), { action: "pause_system" }],
    [
      "an unknown error (a bug)",
      new TypeError("x is undefined"),
      { action: "retry", kind: "unknown", flagOnExhaustion: false },
    ],
  ])("%s", (_name, err, expected) => {
    expect(decideFailure(err, limits)).toEqual(expected);
  });

  it("reads the kind from an error that crossed Redis as a plain object", () => {
    expect(decideFailure({ code: "DRIVER_SYSTEMIC", message: "x" }, limits)).toEqual({
      action: "pause_system",
    });
  });

  it("flags the person when the last attempt of a retryable or unknown error fails", () => {
    const last = { ...limits, attemptsMade: 4 };
    expect(decideFailure(new DriverError("retryable", "503"), last)).toEqual({
      action: "retry",
      kind: "retryable",
      flagOnExhaustion: true,
    });
    expect(decideFailure(new Error("bug"), last)).toMatchObject({ flagOnExhaustion: true });
  });
});

describe("backoffDelay", () => {
  it.each([
    [1, 0, 1000],
    [1, 1, 2000],
    [2, 0, 2000],
    [3, 0.5, 6000],
  ])("attempt %i with random %f waits between half and all of the exponential step", (attempt, r, ms) => {
    expect(backoffDelay(attempt, 2000, () => r)).toBe(ms);
  });

  it("is capped", () => {
    expect(backoffDelay(40, 2000, () => 1)).toBe(MAX_BACKOFF_MS);
  });

  it("spreads a crowd of retries", () => {
    const randoms = [0, 0.25, 0.5, 0.75];
    const delays = randoms.map((r) => backoffDelay(3, 1000, () => r));
    expect(new Set(delays).size).toBe(4);
  });
});

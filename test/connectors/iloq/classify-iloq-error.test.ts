// Table-driven checks that every iLOQ signal maps to the documented DriverError kind (key-systems.md §2.4, §5).
import {
  CAN_DELETE_PERSON,
  CAN_ORDER,
  CAN_ORDER_BLACKLIST,
  classifyCreateSession,
  classifyHttpStatus,
  classifyNetworkError,
  INVALID_VALUE,
  precheckError,
  retryAfterMs,
} from "../../../connectors/iloq/classify-iloq-error";

describe("CreateSession Result codes", () => {
  it.each([
    [1, null],
    [4, "retryable"], // DB update in progress: login disabled for a while
    [5, "systemic"], // invalid credentials: never retried (lockout)
    [7, "systemic"], // locked out
    [8, "systemic"], // ignored due to earlier lockout
    [9, "systemic"], // password expired
    [0, "systemic"], // no result, e.g. Public API not enabled for the system
    [2, "systemic"],
    [3, "systemic"],
  ])("Result %i → %s", (code, kind) => {
    expect(classifyCreateSession(code)?.kind ?? null).toBe(kind);
  });
});

describe("HTTP answers", () => {
  it.each([
    [500, "", "retryable"],
    [502, "", "retryable"],
    [503, "", "retryable"],
    [408, "", "retryable"],
    [429, "", "rate_limited"],
    [401, "Session not valid", "systemic"], // after the one re-login the client already made
    [403, "Forbidden", "systemic"], // API gateway refused x-api-key
    [400, "Key cannot be ordered", "permanent"],
    [400, "Invalid value: Person_ID", "permanent"],
  ])("%i %s → %s", (status, message, kind) => {
    expect(classifyHttpStatus(status, message).kind).toBe(kind);
  });

  it("marks unknown ids so callers can treat them as absent", () => {
    expect(classifyHttpStatus(400, "Invalid value: FNKey_ID").vendorSignal).toBe(INVALID_VALUE);
    expect(classifyHttpStatus(400, "Key cannot be ordered").vendorSignal).toBe("HTTP 400");
  });

  it("carries Retry-After on 429 and defaults to a minute without it", () => {
    expect(classifyHttpStatus(429, "", 7000).retryAfterMs).toBe(7000);
    expect(classifyHttpStatus(429, "").retryAfterMs).toBe(60_000);
  });

  it.each([
    ["7", 7000],
    ["0", 0],
    ["Thu, 26 Nov 2026 12:00:30 GMT", 30_000],
    ["soon", undefined],
  ])("Retry-After %s → %s ms", (header, ms) => {
    expect(retryAfterMs(header, new Date("2026-11-26T12:00:00Z"))).toBe(ms);
  });
});

describe("network failures", () => {
  it.each([
    [Object.assign(new Error("t"), { name: "TimeoutError" }), "timeout"],
    [Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNRESET" } }), "network"],
    [Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } }), "network"],
  ])("%s → retryable (%s)", (err, signal) => {
    const e = classifyNetworkError(err);
    expect([e.kind, e.vendorSignal]).toEqual(["retryable", signal]);
  });
});

describe("Can* pre-check codes", () => {
  it.each([
    ["CanOrder", CAN_ORDER, 0, null],
    ["CanOrder", CAN_ORDER, 1, "manual_action"], // needs Manager + programming token
    ["CanOrder", CAN_ORDER, 3, "permanent"], // licence capacity
    ["CanOrder", CAN_ORDER, 4, "permanent"], // wrong state
    ["CanOrder", CAN_ORDER, 9, "permanent"], // phone key without number
    ["CanOrder", CAN_ORDER, -1, "retryable"],
    ["CanOrder", CAN_ORDER, 99, "permanent"], // unknown future code: do not retry blindly
    ["CanOrderS40Blacklist", CAN_ORDER_BLACKLIST, 0, null],
    ["CanOrderS40Blacklist", CAN_ORDER_BLACKLIST, 1, "manual_action"],
    ["CanOrderS40Blacklist", CAN_ORDER_BLACKLIST, 3, "permanent"],
    ["PersonCanDelete", CAN_DELETE_PERSON, 1, "manual_action"], // keys still attached
    ["PersonCanDelete", CAN_DELETE_PERSON, 8, "systemic"], // API user lacks the right
  ])("%s %i", (check, table, code, kind) => {
    const err = precheckError(check, table, code);
    expect(err?.kind ?? null).toBe(kind);
    if (err) expect(err.vendorSignal).toBe(`${check}=${code}`);
  });
});

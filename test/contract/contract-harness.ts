// The interface each driver's contract test implements so the shared suite (driver-contract-suite.ts)
// can drive that driver against its own fake vendor (key-systems.md §6, §6.3). Stable: extend only
// with optional members.
import type {
  CredentialSpec,
  Effect,
  GrantSpec,
  KeySystemDriver,
  WebhookRequest,
} from "../../src/drivers/key-system-driver";

/** One request the fake's vendor surface received (control-plane calls are never journaled). */
export interface JournalEntry {
  method: string;
  /** Path without host or query string, as the vendor surface saw it. */
  path: string;
  /** True for every request that may change vendor state (POST/PUT/PATCH/DELETE, session calls excluded). */
  mutating: boolean;
  /** True for a login/session request (iLOQ CreateSession, CLIQ TLS/token handshake if journaled). */
  login?: boolean;
  /** Status the fake answered, if it answered (a reset or a dropped answer has none). */
  status?: number;
}

/**
 * Faults apply to vendor-surface requests only, in arrival order; `times` counts requests.
 * - latency: every request waits `ms` before it is handled (persistent until clearFaults).
 * - status: the next `times` requests are answered with `status` and not applied.
 * - reset: the next `times` connections are destroyed before an answer (request not applied).
 * - rate_limit: the next `times` requests get 429 with `Retry-After: retryAfterSeconds`.
 * - session_expiry: the current session becomes invalid (as after the vendor's idle timeout).
 * - timeout_after_commit: the next request whose path contains `pathContains` (case-insensitive) is
 *   applied, but its answer is held back `delayMs` (longer than the driver's request timeout).
 * - bad_credentials: the next and every later login is rejected as a wrong password.
 */
export type Fault =
  | { kind: "latency"; ms: number }
  | { kind: "status"; status: 500 | 502 | 503; times: number }
  | { kind: "reset"; times: number }
  | { kind: "rate_limit"; retryAfterSeconds: number; times: number }
  | { kind: "session_expiry" }
  | { kind: "timeout_after_commit"; pathContains: string; delayMs: number }
  | { kind: "bad_credentials" };

/** A late or out-of-order audit event (iLOQ lock log, CLIQ key/cylinder event upload). */
export interface FakeEventInput {
  /** When it happened at the door (ISO 8601 UTC); may be far older than arrival. */
  occurredAt: string;
  /** Credential (driver's credentialId) the event is about; the fake picks any lock. */
  credentialId?: string;
  granted?: boolean;
}

/** The test-only control plane of a fake vendor (`/__fake/...` or direct calls); drivers never use it. */
export interface FakeControl {
  journal(): Promise<JournalEntry[]>;
  clearJournal(): Promise<void>;
  /** The physical programming step: phone fetched + programmed, key inserted in a remote PD, key handed in. */
  completeProgramming(credentialId?: string): Promise<void>;
  /** Every lock/cylinder syncs the blocklist (iLOQ lock sync, CLIQ cylinder programming done). */
  /**
   * The physical credential is back at the desk and handed in through the vendor's console (CLIQ
   * hand-in, §1.3); only for systems whose credentials must come back by hand.
   */
  returnCredential?(credentialId: string): Promise<void>;
  propagateBlocklist(): Promise<void>;
  injectFault(fault: Fault): Promise<void>;
  clearFaults(): Promise<void>;
  /** Login/session attempts the vendor surface saw since setup (successful or not). */
  loginAttempts(): Promise<number>;
  /** How many holder records in the vendor carry this external id (duplicate detection). */
  holderCount(externalId: string): Promise<number>;
  /** How many credentials in the vendor belong to the holder with this external id (any status). */
  credentialCount(externalId: string): Promise<number>;
  /** Adds a grant the bridge did not make to the holder's (first) credential, as an admin would in the vendor UI. */
  seedForeignGrant(externalId: string, vendorRef: string): Promise<void>;
  /** Appends an audit event that arrives now but may be dated in the past. */
  appendEvent(event: FakeEventInput): Promise<void>;
  /**
   * A webhook delivery as the vendor would send it, for a fresh event (a new counter/id) unless
   * `replay` (the exact previous delivery again) or `tamper` (body changed after signing).
   * Only for drivers whose describe().webhooks is true.
   */
  signedWebhook?(options?: { tamper?: boolean; replay?: boolean }): Promise<WebhookRequest>;
  /** One bare round trip to the vendor surface (a cheap read), for the benchmark's reference figure. */
  roundTrip(): Promise<void>;
}

export interface HarnessContext {
  driver: KeySystemDriver;
  fake: FakeControl;
}

/** What the suite expects where key systems legitimately differ (each value cites the vendor behaviour). */
export interface ContractExpectations {
  /** Effect of setGrants on a credential that must be (re)programmed, before completeProgramming. */
  grantEffect: Extract<Effect, "pending_programming" | "applied" | "effective">;
  /** Effect of revokeCredential(offboarding) before any physical step. */
  offboardingEffect: Effect;
  /** Effect of revokeCredential(lost) before propagateBlocklist (pending_propagation when remoteBlock). */
  lostEffect: Effect;
  /**
   * How often the driver retries a 5xx/reset internally before surfacing DriverError(retryable).
   * 0 = it surfaces retryable at once and leaves backoff to the reconcile queue.
   */
  internalRetries: number;
  /** The driver's per-request timeout in ms, so timeout_after_commit can outlast it. */
  requestTimeoutMs: number;
  /**
   * The zone schedules are written in (the fake's lock-local time, e.g. the iLOQ lock group's). Set it
   * for a driver whose describe().schedules is true: the schedule scenarios then run against it.
   */
  scheduleTimeZone?: string;
}

export interface ContractHarness {
  name: string;
  /** A fresh fake (real HTTP where the vendor speaks HTTP) and a fresh driver, per test. */
  setup(): Promise<HarnessContext>;
  /** Closes the driver and the fake created by the last setup(). */
  teardown(): Promise<void>;
  /** ≥3 vendor refs that exist in the seeded fake and the bridge may assign remotely. */
  grantRefs: string[];
  /** A further assignable ref used only by seedForeignGrant (never in grantRefs). */
  foreignGrantRef: string;
  /** The n-th fresh credential to issue (n from 0; the fake seeds ≥5, e.g. CLIQ keys in stock). */
  credentialSpec(n: number): CredentialSpec;
  /** A substring of the vendor path that creates a holder (iLOQ "Persons", CLIQ "persons"). */
  createHolderPath: string;
  /**
   * Arranges in the fake whatever makes the next grant change manual-only (iLOQ: a right that is not
   * API type → CanOrder 1; CLIQ: a normal key → requires cylinder programming) and returns the
   * desired grants that the suite then asks for on that holder.
   */
  arrangeManualOnlyChange(
    fake: FakeControl,
    subject: { externalId: string; holderId: string; credentialId: string },
  ): Promise<GrantSpec[]>;
  expect: ContractExpectations;
}

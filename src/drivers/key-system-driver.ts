// The driver contract: what the reconcile pipeline may ask of any key system (key-systems.md §5).
//
// Obligations every driver must honour (checked by the shared suite in test/contract/):
//  1. `observe`, `describe`, `healthCheck`, `listGrantCatalog`, `getCredentialState` and `pullEvents`
//     never send a mutating request to the vendor.
//  2. Writes are idempotent: granting what is present, revoking what is absent, or upserting an
//     unchanged holder succeeds and changes nothing. `setGrants` is declarative: the same desired set
//     twice is a no-op the second time.
//  3. Look up by our external id before creating; a create that timed out and is retried never
//     makes a duplicate holder or credential.
//  4. Only `DriverError` leaves a driver, classified as retryable, rate_limited (with retryAfterMs),
//     permanent, manual_action or systemic. Authentication failures are systemic and are never
//     retried inside the driver (vendor lockout).
//  5. Results report the physical effect (`Effect`) and `exposureUntil`: a revocation is not done
//     until it is `effective`.
//  6. A driver owns nothing it did not create: grants the bridge did not make are reported in
//     `Observation.foreignGrants`, never removed.
//  7. Writes for one holder are serialised inside the driver (some vendors replace a key's whole
//     rights set per call); parallelism across holders is allowed.
// Vendor vocabulary stays inside connectors/<vendor>/; this file speaks only bridge terms.
import type { z } from "zod";
import type { Logger } from "../log/logger";

/** What a change has achieved physically. */
export type Effect =
  | "applied" // the vendor database holds it and no physical step is needed
  | "pending_programming" // waits for a key/credential to be programmed or updated
  | "pending_propagation" // a blocklist is spreading to locks
  | "manual_action_required" // an operator must do something (e.g. hand in a physical key)
  | "effective"; // confirmed in effect at the doors

export interface DriverCapabilities {
  remoteReturn: boolean;
  remoteBlock: boolean;
  perKeyGrants: boolean;
  schedules: boolean;
  /**
   * "credential" when the key system keeps one schedule per credential rather than per grant (iLOQ
   * time limits live in the key): every grant on the key then carries the intersection of the grants'
   * schedules, and the planner compares against that. Absent means "grant".
   */
  scheduleScope?: "grant" | "credential";
  webhooks: boolean;
  requiresPhysicalHandover: boolean;
  /**
   * What issueCredential cannot do without (iLOQ: a phone key's number, CanOrder 9; a tag's or
   * physical key's serial): a person lacking it needs attention before any vendor call. Absent: nothing.
   */
  credentialNeeds?: { phone?: boolean; serial?: boolean };
  /** The key system enforces notBefore/notAfter itself (so access ends even if keybridge is down). */
  validityWindows: boolean;
  maxGrantsPerCredential: number | null;
}

export interface HealthStatus {
  status: "ok" | "degraded" | "down";
  vendorVersion?: string;
  detail?: string;
}

export interface CatalogEntry {
  vendorRef: string;
  name: string;
  /** Whether the bridge may assign it remotely (e.g. iLOQ API-type rights only). */
  changeable: boolean;
  scope?: string;
}

export interface HolderSpec {
  /** Stable bridge-chosen id of the person in this key system (never an email). */
  externalId: string;
  displayName: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
  /** ISO 8601 UTC; set for leavers and fixed-term contracts. */
  employmentEnd?: string;
}

export interface HolderRef {
  holderId: string;
  externalId: string;
}

export type CredentialKind = "phone" | "tag" | "physical";

export interface CredentialSpec {
  kind: CredentialKind;
  serial?: string;
  phone?: string;
  email?: string;
  notAfter?: string;
}

/** A weekly time window in the schedule's time zone (minutes since midnight, 15-minute grid). */
export interface WeeklyWindow {
  days: Array<"mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun">;
  startMinute: number;
  endMinute: number;
}

/** A profile's weekly opening hours, which the driver writes as the vendor's own time restriction. */
export interface WeeklySchedule {
  timeZone: string;
  windows: WeeklyWindow[];
}

/** One vendor access reference with its validity window (ISO 8601 UTC, both optional). */
export interface GrantSpec {
  vendorRef: string;
  notBefore?: string;
  notAfter?: string;
  /** Set when the profile has a schedule: access only inside these weekly windows. */
  schedule?: WeeklySchedule;
}

export type CredentialStatus =
  | "planned"
  | "ordered"
  | "programming"
  | "programmed"
  | "returned"
  | "disabled" // opens nothing any more (e.g. validity "never" programmed into it) but is not back yet
  | "blocked"
  | "lost";

export interface CredentialState {
  credentialId: string;
  kind: CredentialKind;
  status: CredentialStatus;
  /** Grants the vendor database holds for this credential. */
  plannedGrants: GrantSpec[];
  /** Grants the physical credential holds (last programmed); equals planned once effective. */
  programmedGrants: GrantSpec[];
  effect: Effect;
  exposureUntil?: string;
}

export interface Observation {
  holder: HolderRef | null;
  credentials: CredentialState[];
  /** Grants present in the key system that the bridge did not make: reported, never removed. */
  foreignGrants: GrantSpec[];
}

export interface ManualTask {
  kind: "hand_out_credential" | "hand_in_credential" | "program_with_manager" | "block_credential" | "other";
  credentialId?: string;
  reason: string;
}

export interface ChangeResult {
  effect: Effect;
  /** Latest time the previous access may still open a door (ISO 8601 UTC). */
  exposureUntil?: string;
  manualTasks: ManualTask[];
  credentials?: Array<{ credentialId: string; effect: Effect }>;
}

export type RevokeReason = "offboarding" | "returned" | "lost" | "stolen" | "broken";

export interface DriverEvent {
  /** Unique per vendor event; used to dedupe late or repeated deliveries. */
  id: string;
  occurredAt: string;
  receivedAt: string;
  kind: "access_granted" | "access_denied" | "credential_programmed" | "credential_blocked" | "other";
  credentialId?: string;
  lockId?: string;
  holderId?: string;
}

export interface EventPage {
  events: DriverEvent[];
  nextCursor: string;
}

export interface WebhookRequest {
  headers: Record<string, string | undefined>;
  rawBody: Buffer;
}

export interface OperationContext {
  /** Correlates vendor calls with the reconcile job and audit records. */
  operationId: string;
}

export interface KeySystemDriver {
  /** The key system id from the mappings (e.g. "hq-iloq"). */
  readonly systemId: string;
  /** The driver name (e.g. "iloq"). */
  readonly driver: string;

  describe(): DriverCapabilities;
  healthCheck(): Promise<HealthStatus>;
  /** The vendor references of this key system (inside the scope it was built with). */
  listGrantCatalog(): Promise<CatalogEntry[]>;
  /** Reads what the key system holds for a holder; never writes. */
  observe(externalId: string): Promise<Observation>;
  upsertHolder(spec: HolderSpec, ctx: OperationContext): Promise<{ holder: HolderRef; created: boolean }>;
  deactivateHolder(holder: HolderRef, at: string, ctx: OperationContext): Promise<ChangeResult>;
  issueCredential(
    holder: HolderRef,
    spec: CredentialSpec,
    ctx: OperationContext,
  ): Promise<ChangeResult & { credentialId: string }>;
  /** Declarative: afterwards the holder's credentials carry exactly `desired` (of bridge-made grants). */
  setGrants(holder: HolderRef, desired: GrantSpec[], ctx: OperationContext): Promise<ChangeResult>;
  revokeCredential(credentialId: string, reason: RevokeReason, ctx: OperationContext): Promise<ChangeResult>;
  removeHolder(holder: HolderRef, ctx: OperationContext): Promise<ChangeResult & { removed: boolean }>;
  getCredentialState(credentialId: string): Promise<CredentialState | null>;
  pullEvents(cursor: string | null): Promise<EventPage>;
  /** Verifies and normalises a vendor webhook; throws DriverError(permanent) on a bad signature. */
  handleWebhook(req: WebhookRequest): Promise<DriverEvent[]>;
  close(): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface DriverDeps {
  logger: Logger;
  clock: Clock;
  /** Secrets by name, from KEYBRIDGE_SECRET_* (config.secrets). */
  secrets: Readonly<Record<string, string>>;
}

/**
 * What every driver of one kind can do, knowable without connecting: `keybridge mappings check` and
 * start-up refuse a scheduled profile bound to a system that cannot enforce schedules, and a credential
 * setting the driver cannot issue. A factory without it is treated as "no schedules" (never wider
 * access than declared) and its credential setting is not checked.
 */
export interface StaticCapabilities {
  /** Writes a profile's weekly schedule as the vendor's own time restriction (GrantSpec.schedule). */
  schedules: boolean;
  /** Credential kinds `issueCredential` can issue remotely. */
  credentialKinds: CredentialKind[];
}

/**
 * Where a key system lives inside the vendor's installation (iLOQ lock group and zone, CLIQ domain), as
 * written in the mappings' KeySystem `scope`. Each driver declares its shape; the mapping loader validates
 * it, so a driver receives exactly what its schema outputs, once, when it is built.
 */
export type KeySystemScope = Readonly<Record<string, unknown>>;

/** Builds drivers of one kind; validates its own options and throws ConfigError when they are wrong. */
export interface DriverFactory {
  readonly driver: string;
  readonly capabilities?: StaticCapabilities;
  /** The shape of this driver's key-system `scope` (checked by `keybridge mappings check`, file and line). */
  readonly scopeSchema: z.ZodType<KeySystemScope>;
  /** `scope` is the KeySystem document's scope, undefined when it declares none. */
  create(systemId: string, options: unknown, deps: DriverDeps, scope?: unknown): KeySystemDriver;
}

// What a failed reconcile does next, by driver error kind (ARCHITECTURE §3): pure and table-tested.
import { type DriverErrorKind, driverErrorKind } from "../drivers/driver-error";
import { isCredentialUnavailable } from "./credential-unavailable-error";

export type FailureDecision =
  /** Retry with backoff: transient vendor trouble, or an unknown error (a bug) within the attempt limit. */
  | { action: "retry"; kind: DriverErrorKind | "unknown"; flagOnExhaustion: boolean }
  /** Hand the job back without using an attempt and pause the queue for the vendor's wait. */
  | { action: "rate_limit"; delayMs: number }
  /** No retry storm: flag the person needs-attention (and record a work item for manual_action). */
  | { action: "needs_attention"; kind: "permanent" | "manual_action" }
  /** Vendor credentials rejected or similar: pause the whole system and alert; never retry logins. */
  | { action: "pause_system" };

export interface RetryLimits {
  /** Attempts already made before this one failed (BullMQ job.attemptsMade). */
  attemptsMade: number;
  maxAttempts: number;
  /** Used when a rate_limited error carries no Retry-After. */
  defaultRateLimitMs: number;
}

export function decideFailure(err: unknown, limits: RetryLimits): FailureDecision {
  // A person who cannot be issued a credential is permanent until their data changes (a new SCIM write).
  const kind = isCredentialUnavailable(err) ? "permanent" : driverErrorKind(err);
  const lastAttempt = limits.attemptsMade + 1 >= limits.maxAttempts;
  switch (kind) {
    case "rate_limited": {
      const retryAfterMs = (err as { retryAfterMs?: unknown }).retryAfterMs;
      const delayMs =
        typeof retryAfterMs === "number" && retryAfterMs > 0 ? retryAfterMs : limits.defaultRateLimitMs;
      return { action: "rate_limit", delayMs };
    }
    case "permanent":
    case "manual_action":
      return { action: "needs_attention", kind };
    case "systemic":
      return { action: "pause_system" };
    case "retryable":
      return { action: "retry", kind, flagOnExhaustion: lastAttempt };
    default:
      return { action: "retry", kind: "unknown", flagOnExhaustion: lastAttempt };
  }
}

/** Upper bound for one backoff, so a long outage still retries a few times an hour. */
export const MAX_BACKOFF_MS = 15 * 60 * 1000;

/**
 * Exponential backoff with "equal jitter": half the exponential step plus a random share of the other
 * half, so a crowd of jobs failing together does not return together (AWS Architecture Blog,
 * "Exponential Backoff And Jitter"). `attemptsMade` counts from 1 for the first retry.
 */
export function backoffDelay(attemptsMade: number, baseMs: number, random: () => number): number {
  const exponent = Math.max(0, attemptsMade - 1);
  const step = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** exponent);
  return Math.round(step / 2 + random() * (step / 2));
}

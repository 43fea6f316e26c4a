// What every directory operation needs: the Redis client, the injected clock and id source, limits,
// and the compare-and-set retry loop shared by user and group writes.
import type { RedisClient } from "./create-redis-client";
import { BridgeError } from "../errors/bridge-error";
import { parseVersion } from "./resource-codec";
import { MSG_BUSY, MSG_VERSION_MISMATCH } from "./write-outcome";

export interface StoreContext {
  redis: RedisClient;
  clock: () => Date;
  newId: () => string;
  /** Compare-and-set attempts before giving up with Unavailable (the IdP retries later). */
  maxAttempts: number;
  /** See QueryScope.maxCandidates. */
  maxCandidates: number;
}

/** If-Match (RFC 7644 §3.14): absent or `*` passes; anything else must equal the current version. */
export function checkIfMatch(ifMatch: string | undefined, version: number): void {
  if (ifMatch === undefined) return;
  const wanted = parseVersion(ifMatch);
  if (wanted === "*" || wanted === version) return;
  throw new BridgeError("PreconditionFailed", MSG_VERSION_MISMATCH);
}

/** The version a member-only write must find: -2 means any. */
export function expectedVersion(ifMatch: string | undefined): number {
  if (ifMatch === undefined) return -2;
  const wanted = parseVersion(ifMatch);
  if (wanted === null) throw new BridgeError("PreconditionFailed", MSG_VERSION_MISMATCH);
  return wanted === "*" ? -2 : wanted;
}

/**
 * Runs one read-modify-write attempt until it does not hit a concurrent write. Under contention every
 * round lets at least one writer through, so N parallel writers finish within N rounds; the jittered
 * pause spreads them out.
 */
export async function retryStale<T>(ctx: StoreContext, attempt: () => Promise<T | "STALE">): Promise<T> {
  for (let i = 0; i < ctx.maxAttempts; i++) {
    const result = await attempt();
    if (result !== "STALE") return result;
    await new Promise((resolve) => setTimeout(resolve, Math.random() * (2 + i)));
  }
  throw new BridgeError("Unavailable", MSG_BUSY);
}

export function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}

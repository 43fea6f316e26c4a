// The planner's "cannot issue" outcome as an error the failure handler classifies like a permanent
// driver error: needs attention with its own stable code, no retry loop, no vendor call made.
import { CREDENTIAL_UNAVAILABLE } from "../access/credential-request";

export class CredentialUnavailableError extends Error {
  readonly code = CREDENTIAL_UNAVAILABLE;
  readonly kind = "permanent" as const;
  constructor(message: string) {
    super(message);
    this.name = "CredentialUnavailableError";
  }
}

/** Whether an error (possibly a plain object after crossing Redis) is the planner's "cannot issue". */
export function isCredentialUnavailable(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === CREDENTIAL_UNAVAILABLE;
}

// The one place where any failure becomes a SCIM Error (ARCHITECTURE §3): domain errors by code,
// Redis trouble as 503, everything else as 500 with a generic detail. Never 404 for an internal failure.
import { isBridgeError } from "../errors/bridge-error";
import { isScimError, ScimError } from "./scim-error";

export const DETAIL_UNAVAILABLE = "The directory is temporarily unavailable; retry later.";
export const DETAIL_INTERNAL = "Internal error.";

export interface Classified {
  error: ScimError;
  /** Log with stack: the failure is ours, not the client's. */
  internal: boolean;
}

const REDIS_FAILURE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection is closed|Stream isn't writeable|Command timed out|MaxRetriesPerRequest|LOADING|CLUSTERDOWN|READONLY|OOM/;

function looksLikeRedisFailure(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return REDIS_FAILURE.test(err.message) || err.name === "MaxRetriesPerRequestError";
}

export function classifyError(err: unknown): Classified {
  if (isScimError(err)) return { error: err, internal: err.status >= 500 };
  if (isBridgeError(err)) {
    switch (err.kind) {
      case "NotFound":
        return { error: new ScimError(404, undefined, err.message), internal: false };
      case "Conflict":
        return { error: new ScimError(409, "uniqueness", err.message), internal: false };
      case "PreconditionFailed":
        return { error: new ScimError(412, undefined, err.message), internal: false };
      case "InvalidValue":
        return { error: new ScimError(400, "invalidValue", err.message), internal: false };
      case "Unavailable":
        return { error: new ScimError(503, undefined, DETAIL_UNAVAILABLE), internal: true };
    }
  }
  // body-parser errors carry an HTTP status (413 too large, 400 malformed JSON, 415 charset).
  const status = (err as { status?: unknown; type?: unknown } | null)?.status;
  const type = (err as { type?: unknown } | null)?.type;
  if (typeof status === "number" && typeof type === "string" && status >= 400 && status < 500) {
    const scimType = status === 400 ? "invalidSyntax" : undefined;
    return { error: new ScimError(status, scimType, type.replace(/\./g, " ")), internal: false };
  }
  if (looksLikeRedisFailure(err))
    return { error: new ScimError(503, undefined, DETAIL_UNAVAILABLE), internal: true };
  return { error: new ScimError(500, undefined, DETAIL_INTERNAL), internal: true };
}

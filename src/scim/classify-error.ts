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
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection is closed|Stream isn't writeable|Command timed out|Command aborted due to connection close|MaxRetriesPerRequest|LOADING|CLUSTERDOWN|READONLY|UNBLOCKED|OOM/;

function looksLikeRedisFailure(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return REDIS_FAILURE.test(err.message) || err.name === "MaxRetriesPerRequestError";
}

/** Details for the client errors Express and body-parser raise; their own messages may echo input. */
const CLIENT_DETAILS: Record<string, string> = {
  "entity.too.large": "Request body is too large.",
  "entity.parse.failed": "Request body is not valid JSON.",
  "charset.unsupported": "Request bodies must be UTF-8 JSON.",
  "encoding.unsupported": "Unsupported Content-Encoding; send identity, gzip, deflate or br.",
  "request.aborted": "The request was aborted.",
  "request.size.invalid": "Request body length does not match Content-Length.",
};

/**
 * Errors raised by Express, the router (a malformed `%` escape in the path is a URIError with status
 * 400) and body-parser (size, charset, encoding, and corrupt gzip/deflate data, whose zlib error it wraps
 * as a 400) carry a 4xx status: they are the client's, answered with a SCIM body and never a 500.
 */
function clientErrorOf(err: unknown): ScimError | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  if (typeof status !== "number" || status < 400 || status > 499) return undefined;
  const type = (err as { type?: unknown }).type;
  const known = typeof type === "string" ? CLIENT_DETAILS[type] : undefined;
  if (err instanceof URIError)
    return new ScimError(400, "invalidSyntax", "Malformed percent-encoding in the URL.");
  if (status === 400) return new ScimError(400, "invalidSyntax", known ?? "Malformed request body.");
  return new ScimError(status, undefined, known ?? "The request cannot be processed.");
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
  const client = clientErrorOf(err);
  if (client) return { error: client, internal: false };
  if (looksLikeRedisFailure(err))
    return { error: new ScimError(503, undefined, DETAIL_UNAVAILABLE), internal: true };
  return { error: new ScimError(500, undefined, DETAIL_INTERNAL), internal: true };
}

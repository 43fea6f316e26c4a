// The one catalog of stable error codes keybridge emits (ARCHITECTURE §3): the SCIM scimTypes of its
// 4xx answers (RFC 7644 §3.12) and the `code` of every internal error class. docs/errors.md lists
// exactly these with the same meanings; test/errors/error-catalog-docs.test.ts keeps the two in step and
// fails when a new code appears in the sources without an entry here.

/** scimType keywords a SCIM error body can carry: ours and those SCIMMY raises through scimmy-port.ts. */
export const scimTypeMeanings = {
  invalidFilter:
    "the filter (or a PATCH value filter) is malformed, too long, or uses an unsupported operator",
  invalidPath:
    "a PATCH path is malformed, names an unknown attribute, or names `__proto__`, `constructor` or `prototype`",
  invalidSyntax:
    "the request body is not a valid SCIM message: malformed JSON, nested too deeply, a `__proto__` member, bad compression or a malformed URL",
  invalidValue:
    "a value is of the wrong type or shape (e.g. a null entry in `emails`), or exceeds a configured limit (`scim.limits`)",
  mutability: "the request tries to change a read-only attribute",
  noTarget: "a PATCH path or value filter matches nothing it may change (e.g. `remove` without a path)",
  uniqueness: "another resource of the tenant already holds a value that must be unique, e.g. `userName`",
} as const;

/** Stable `code` values of the error classes that cross process and Redis boundaries. */
export const errorCodeMeanings = {
  BRIDGE_NOT_FOUND: "the user or group does not exist in the tenant (SCIM 404)",
  BRIDGE_CONFLICT: "a uniqueness rule of the directory would be broken (SCIM 409 uniqueness)",
  BRIDGE_PRECONDITION_FAILED: "If-Match named a version that is no longer current (SCIM 412)",
  BRIDGE_INVALID_VALUE:
    "the directory refused a value, e.g. a malformed member id (SCIM 400 invalidValue); unknown member ids are skipped",
  BRIDGE_UNAVAILABLE:
    "Redis did not answer in time; nothing was committed or the outcome is safe to retry (SCIM 503)",
  BRIDGE_CONFIG_INVALID:
    "the configuration failed validation; every violation is printed with its path and the process does not start",
  BRIDGE_MAPPING_INVALID:
    "the mapping files failed validation; every problem is printed as file:line: path: message",
  BRIDGE_PERSON_SOURCE: "a CLI command could not read the persons it was pointed at (file or Redis)",
  BRIDGE_CREDENTIAL_UNAVAILABLE:
    "a person needs a credential the key system cannot issue from their data (e.g. no mobile number); needs attention until the IdP sends it",
  BRIDGE_REDIS_UNREACHABLE: "nothing answered at REDIS_URL when a process or CLI command started",
  BRIDGE_ADMIN_UNAUTHENTICATED:
    "an admin API request carried no valid admin token or session (HTTP 401); SCIM tokens are not admin tokens",
  BRIDGE_ADMIN_FORBIDDEN: "the admin token's role is below what the admin route needs (HTTP 403)",
  BRIDGE_ADMIN_CSRF:
    "a cookie-authenticated admin write lacked the session's X-Keybridge-CSRF header (HTTP 403)",
  BRIDGE_ADMIN_INVALID_REQUEST: "an admin API request was malformed or missed a required field (HTTP 400)",
  BRIDGE_ADMIN_NOT_FOUND:
    "the person, work item or token an admin API request named does not exist (HTTP 404)",
  BRIDGE_ADMIN_INTERNAL:
    "a defect of keybridge behind an admin API request (HTTP 500, logged with its stack)",
  BRIDGE_GRAPH_FOREIGN_LINK:
    "Microsoft Graph returned a nextLink/deltaLink to another origin than `signals.entra.graphBaseUrl`; it is not followed (the token never leaves Graph) and the round is retried next poll",
  BRIDGE_GRAPH_SYNC_RESET:
    "Graph answered 410 Gone or syncStateNotFound for a delta link; the Entra channel starts a full round at once",
  BRIDGE_GRAPH_REQUEST_FAILED:
    "a Graph request failed (or 429/503 outlasted the retries); the delta link is not advanced and the next poll repeats the round",
  BRIDGE_SIGNAL_DEAD_LETTERED:
    "a queued IdP signal failed to apply on every attempt; it was set aside (Redis list `…:signal:inbox:<channel>:dead`) so the signals behind it apply, and `signals status` shows the channel error with its event id",
  BRIDGE_GRAPH_AUTH_FAILED:
    "no Graph token from Entra (secret or certificate refused, secret not set); the Entra channel retries next poll",
  DRIVER_RETRYABLE: "a key-system call failed transiently; the reconcile job retries with backoff and jitter",
  DRIVER_RATE_LIMITED:
    "the key system asked us to slow down; that system's queue pauses for retryAfterMs, no attempt used",
  DRIVER_PERMANENT:
    "the key system refused the change for good; the job fails now and the person is flagged needs-attention",
  DRIVER_MANUAL_ACTION:
    "the change needs an operator (e.g. a physical key hand-in); a work item is raised instead of retrying",
  DRIVER_SYSTEMIC:
    "the key system rejects us as a whole (credentials, certificate); the system pauses and alerts, logins are never retried",
} as const;

export type ScimType = keyof typeof scimTypeMeanings;
export type ErrorCode = keyof typeof errorCodeMeanings;

export function isCataloguedScimType(value: string): value is ScimType {
  return Object.hasOwn(scimTypeMeanings, value);
}

export function isCataloguedCode(value: string): value is ErrorCode {
  return Object.hasOwn(errorCodeMeanings, value);
}

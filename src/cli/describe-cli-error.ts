// Turns whatever stopped a `keybridge` command into one line naming the cause and the fix, because an
// operator at a terminal needs "set REDIS_URL", not an ioredis stack (stacks only with --debug).
import { formatProblem, isMappingError } from "../mapping/mapping-error";
import { REDIS_UNREACHABLE } from "../store/connect-redis-once";

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  port?: unknown;
  address?: unknown;
  syscall?: unknown;
  problems?: unknown;
}

const REDIS_HINT =
  "set REDIS_URL (or redisUrl in KEYBRIDGE_CONFIG) to the Redis the keybridge server uses, and check it runs";

/** One or more lines (one per mapping or config problem), without a stack. */
export function describeCliError(err: unknown): string {
  const e = (err ?? {}) as ErrorLike;
  const message = typeof e.message === "string" ? e.message : String(err);
  if (e.code === "BRIDGE_CONFIG_INVALID")
    return `${message}\n(fix the file named by KEYBRIDGE_CONFIG or the environment)`;
  if (isMappingError(err))
    return `invalid mappings:\n  ${err.problems.map(formatProblem).join("\n  ")}\n(fix the files, then run keybridge mappings check)`;
  if (e.code === REDIS_UNREACHABLE) return message;
  if (e.code === "EADDRINUSE")
    return `port ${String(e.port ?? "?")} on ${String(e.address ?? "*")} is already in use: stop the other process or set PORT (or port in KEYBRIDGE_CONFIG)`;
  if (e.code === "EACCES" && e.syscall === "listen")
    return `not allowed to listen on port ${String(e.port ?? "?")}: choose a port above 1023 with PORT`;
  if (isRedisConnectionError(e, message)) return `cannot reach Redis (${message}): ${REDIS_HINT}`;
  return `${message} (run again with --debug for the stack)`;
}

function isRedisConnectionError(e: ErrorLike, message: string): boolean {
  if (e.code === "ECONNREFUSED" || e.code === "ENOTFOUND" || e.code === "EAI_AGAIN" || e.code === "ETIMEDOUT")
    return true;
  // ioredis' own words once it has given up reconnecting.
  return /Connection is closed|max retries per request|Stream isn't writeable/i.test(message);
}

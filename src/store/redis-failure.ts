// Classifies Redis failures for the directory: an unreachable, stalled, loading or overloaded Redis
// becomes BridgeError("Unavailable") (the edge answers 503, never 404). Everything else, including
// errors thrown by a caller's mutate function and Redis replies that mean a bug, passes through.
import { BridgeError, isBridgeError } from "../errors/bridge-error";

const MSG_UNAVAILABLE = "directory storage unavailable";

/** Server replies that mean "not now" rather than "wrong command". */
const TRANSIENT_REPLIES = [
  "LOADING",
  "BUSY",
  "READONLY",
  "MASTERDOWN",
  "TRYAGAIN",
  "CLUSTERDOWN",
  "OOM",
  // A blocked command (WAIT) on a master that is being turned into a replica (Redis ≥ 7).
  "UNBLOCKED",
];

/** Socket-level error codes (Node system errors) of a connection that failed or broke. */
const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** Messages ioredis 6 uses when a command cannot reach the server (read from its source). */
const CLIENT_MESSAGES = [
  "Connection is closed",
  "Stream isn't writeable",
  "Command timed out",
  // Auto-pipelined commands in flight when the socket closed (a master killed in a failover).
  "Command aborted due to connection close",
  "Socket timeout",
  "Cluster is disconnect",
  "Cluster isn't ready",
  "None of startup nodes is available",
  "No master node is available",
  "Too many Cluster redirections",
];

export function isRedisUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === "ReplyError") return TRANSIENT_REPLIES.some((p) => err.message.startsWith(p));
  if (err.name === "MaxRetriesPerRequestError" || err.name === "ClusterAllFailedError") return true;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string" && SOCKET_CODES.has(code)) return true;
  return CLIENT_MESSAGES.some((m) => err.message.startsWith(m));
}

export function toStoreError(err: unknown): unknown {
  if (isBridgeError(err)) return err;
  if (isRedisUnavailable(err)) return new BridgeError("Unavailable", MSG_UNAVAILABLE, { cause: err });
  return err;
}

/** Runs one store operation, translating Redis failures. */
export async function guardRedis<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    throw toStoreError(err);
  }
}

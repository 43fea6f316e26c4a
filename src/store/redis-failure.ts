// Classifies Redis failures for the directory: an unreachable, loading or overloaded Redis becomes
// BridgeError("Unavailable") (the edge answers 503, never 404); anything else is a bug and stays as is.
import { BridgeError, isBridgeError } from "../errors/bridge-error";

const MSG_UNAVAILABLE = "directory storage unavailable";

/** Server replies that mean "not now" rather than "wrong command". */
const TRANSIENT_REPLIES = ["LOADING", "BUSY", "READONLY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN", "OOM"];

export function isRedisUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === "ReplyError") return TRANSIENT_REPLIES.some((p) => err.message.startsWith(p));
  // Connection refused/reset, "Connection is closed", offline queue disabled, command timeout,
  // MaxRetriesPerRequestError: all mean the request path cannot reach Redis now.
  return true;
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

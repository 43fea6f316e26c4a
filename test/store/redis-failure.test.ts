// Which errors mean "Redis is unavailable" (503) and which are bugs or caller errors (passed through).
import { isBridgeError } from "../../src/errors/bridge-error";
import { isRedisUnavailable, toStoreError } from "../../src/store/redis-failure";

const replyError = (message: string) => Object.assign(new Error(message), { name: "ReplyError" });

it.each([
  [
    "a refused connection",
    Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" }),
  ],
  ["a closed connection", new Error("Connection is closed.")],
  ["the disabled offline queue", new Error("Stream isn't writeable and enableOfflineQueue options is false")],
  ["a command timeout", new Error("Command timed out")],
  [
    "a pipelined command cut off by a failover",
    Object.assign(new Error("Command aborted due to connection close"), { name: "AbortError" }),
  ],
  [
    "a WAIT ended by a role change",
    replyError(
      "UNBLOCKED force unblock from blocking operation, instance state changed (master -> replica?)",
    ),
  ],
  [
    "exhausted retries",
    Object.assign(new Error("Reached the max retries per request limit"), {
      name: "MaxRetriesPerRequestError",
    }),
  ],
  ["a loading server", replyError("LOADING Redis is loading the dataset in memory")],
  ["a busy script", replyError("BUSY Redis is busy running a script")],
  ["a full server", replyError("OOM command not allowed when used memory > 'maxmemory'")],
])("%s is Unavailable", (_label, err) => {
  expect(isRedisUnavailable(err)).toBe(true);
  expect(isBridgeError(toStoreError(err), "Unavailable")).toBe(true);
});

it.each([
  [
    "a wrong-type reply (a bug)",
    replyError("WRONGTYPE Operation against a key holding the wrong kind of value"),
  ],
  ["a script error (a bug)", replyError("ERR user_script:1: Script attempted to access nonexistent global")],
  ["a caller's TypeError", new TypeError("x is undefined")],
  ["a non-error value", "boom"],
])("%s passes through unchanged", (_label, err) => {
  expect(isRedisUnavailable(err)).toBe(false);
  expect(toStoreError(err)).toBe(err);
});

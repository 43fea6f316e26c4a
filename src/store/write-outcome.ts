// Interprets the replies of the save and delete scripts: refusals become BridgeErrors, successes
// become the resource's stored string plus the (person, generation) pairs the write bumped.
import { BridgeError } from "../errors/bridge-error";
import type { PersonChange, PersonChangeKind } from "./directory-change";

export const MSG_USER_NOT_FOUND = "user not found";
export const MSG_GROUP_NOT_FOUND = "group not found";
export const MSG_USERNAME_TAKEN = "userName is already in use in this tenant";
export const MSG_DISPLAYNAME_TAKEN = "group displayName is already in use in this tenant";
export const MSG_ID_TAKEN = "generated id already exists";
export const MSG_MALFORMED_MEMBER = "member value is not a resource id";
export const MSG_VERSION_MISMATCH = "resource version does not match If-Match";
export const MSG_BUSY = "too many concurrent updates of one resource; retry";
/** A create expects no version, so it cannot meet a concurrent version: seeing STALE is a bug. */
export const MSG_CREATE_STALE = "create saw a stale version";
/** A staged member plan (stage-members.ts) was gone or short when its save ran: retry the request. */
export const MSG_STAGE_LOST = "staged member list expired before its save; retry";
export const MSG_UNEXPECTED_REPLY = "unexpected directory script reply";

export type ScriptOutcome =
  | { status: "STALE" }
  | { status: "OK"; raw: string | null; bumped: [string, number][] };

/**
 * The (person, generation) pairs of a reply's `<person> <gen> <person> <gen> …` string (save-script.ts
 * sends them as one string, not as 2 items per person, so a 10,000-person change decodes at once).
 */
function bumpedPairs(text: unknown): [string, number][] {
  const out: [string, number][] = [];
  if (typeof text !== "string" || text === "") return out;
  const parts = text.split(" ");
  for (let i = 0; i + 1 < parts.length; i += 2) out.push([parts[i] as string, Number(parts[i + 1])]);
  return out;
}

/** Save script reply: OK <stored string> "<person> <gen> …", or a refusal. */
export function readSaveReply(reply: unknown, resource: "user" | "group"): ScriptOutcome {
  const items = reply as unknown[];
  const status = items[0] as string;
  const notFound = resource === "user" ? MSG_USER_NOT_FOUND : MSG_GROUP_NOT_FOUND;
  switch (status) {
    case "OK":
      return { status, raw: items[1] as string | null, bumped: bumpedPairs(items[2]) };
    case "STALE":
      return { status };
    case "GONE":
      throw new BridgeError("NotFound", notFound);
    case "CONFLICT":
      throw new BridgeError("Conflict", resource === "user" ? MSG_USERNAME_TAKEN : MSG_DISPLAYNAME_TAKEN);
    case "EXISTS":
      throw new BridgeError("Conflict", MSG_ID_TAKEN);
    case "STAGE_LOST":
      throw new BridgeError("Unavailable", MSG_STAGE_LOST);
    default:
      throw new Error(MSG_UNEXPECTED_REPLY, { cause: status });
  }
}

/** Delete script reply: OK "<person> <gen> …", or a refusal. */
export function readDeleteReply(reply: unknown, resource: "user" | "group"): ScriptOutcome {
  const items = reply as unknown[];
  const status = items[0] as string;
  if (status === "OK") return { status, raw: null, bumped: bumpedPairs(items[1]) };
  if (status === "STALE") return { status };
  throw new BridgeError("NotFound", resource === "user" ? MSG_USER_NOT_FOUND : MSG_GROUP_NOT_FOUND);
}

export function toChanges(
  bumped: [string, number][],
  kindOf: (personId: string) => PersonChangeKind,
): PersonChange[] {
  return bumped.map(([personId, generation]) => ({ personId, kind: kindOf(personId), generation }));
}

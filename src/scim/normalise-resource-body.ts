// Normalises POST/PUT bodies of Users and Groups before SCIMMY validates them (scim-clients.md §5.2):
// string booleans, flat URN keys, manager strings, JSON-string roles, bare-string and duplicate members;
// memberships (`members`, a User's `groups`) are split off because they never go through SCIMMY.
import type { GroupInput, UserInput } from "../store/directory-store-api";
import { CORE_GROUP_URN, CORE_USER_URN } from "../store/directory-types";
import {
  coerceBooleans,
  isPlainObject,
  memberIds,
  memberIdsInSlices,
  normaliseManager,
  normaliseRoles,
} from "./normalise-values";
import { EXTENSION_URNS, splitUrn } from "./patch-path";
import { coerceGroup, coerceUser } from "./scimmy-port";
import { ScimError } from "./scim-error";
import { withExplicitActive } from "../store/user-active";

type Json = Record<string, unknown>;

/** Never stored or echoed: server-assigned, read-only, or secret (RFC 7643 §4.1.1 password). */
const SERVER_OWNED = ["id", "meta", "password"];

function requireObject(body: unknown): Json {
  if (!isPlainObject(body)) throw new ScimError(400, "invalidSyntax", "Request body must be a JSON object.");
  return body;
}

/** `urn:…:enterprise:2.0:User:department` keys → nested extension objects (RFC 7644 §3.10). */
function nestExtensionKeys(body: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(body)) {
    const { extension, rest } = splitUrn(key);
    if (extension && rest !== "") {
      const holder = isPlainObject(out[extension]) ? (out[extension] as Json) : {};
      holder[rest] = value;
      out[extension] = holder;
    } else if (extension) {
      out[extension] = {
        ...(isPlainObject(out[extension]) ? (out[extension] as Json) : {}),
        ...(value as Json),
      };
    } else {
      out[key] = value;
    }
  }
  return out;
}

function takeKey(body: Json, name: string): unknown {
  const key = Object.keys(body).find((k) => k.toLowerCase() === name);
  if (key === undefined) return undefined;
  const value = body[key];
  delete body[key];
  return value ?? [];
}

function ensureSchemas(body: Json, core: string): void {
  const schemas = Array.isArray(body.schemas) ? body.schemas.filter((s) => typeof s === "string") : [];
  if (!schemas.includes(core)) schemas.unshift(core);
  for (const urn of EXTENSION_URNS) if (isPlainObject(body[urn]) && !schemas.includes(urn)) schemas.push(urn);
  body.schemas = schemas;
}

export interface NormalisedUser {
  user: UserInput;
  /** Group ids from the `groups` attribute, when the body carried one. */
  groups?: string[];
}

/** Repairs an already-shaped user object (also used after PATCH application). */
export function canonicalUser(raw: Json): UserInput {
  const body = withExplicitActive(nestExtensionKeys(coerceBooleans(raw) as Json));
  for (const urn of EXTENSION_URNS) {
    const ext = body[urn];
    if (isPlainObject(ext) && "manager" in ext) ext.manager = normaliseManager(ext.manager);
  }
  if (body.roles !== undefined && body.roles !== null) body.roles = normaliseRoles(body.roles);
  for (const key of SERVER_OWNED) delete body[key];
  takeKey(body, "groups");
  ensureSchemas(body, CORE_USER_URN);
  const user = coerceUser(body);
  for (const key of SERVER_OWNED) delete user[key];
  return user as UserInput;
}

/** A User body without its `groups` (memberships never go through SCIMMY), and those group ids. */
export function splitUserGroups(raw: unknown): { rest: Json; groups?: string[] } {
  const rest = { ...requireObject(raw) };
  const groups = takeKey(rest, "groups");
  return groups === undefined ? { rest } : { rest, groups: memberIds(groups) };
}

export function normaliseUserBody(raw: unknown): NormalisedUser {
  const { rest, groups } = splitUserGroups(raw);
  const out: NormalisedUser = { user: canonicalUser(rest) };
  if (groups !== undefined) out.groups = groups;
  return out;
}

export interface NormalisedGroup {
  group: GroupInput;
  /** Member ids when the body carried `members` (Okta POST/PUT), else undefined. */
  members?: string[];
}

/** Repairs a member-less group object (also used after PATCH application). */
export function canonicalGroup(raw: Json): GroupInput {
  const body = coerceBooleans(raw) as Json;
  for (const key of SERVER_OWNED) delete body[key];
  takeKey(body, "members");
  ensureSchemas(body, CORE_GROUP_URN);
  const group = coerceGroup(body);
  for (const key of SERVER_OWNED) delete group[key];
  return group as GroupInput;
}

/** A group POST/PUT body; its member list may be an Okta full push, so it is read in slices. */
export async function normaliseGroupBody(raw: unknown): Promise<NormalisedGroup> {
  const body = { ...requireObject(raw) };
  const members = takeKey(body, "members");
  const out: NormalisedGroup = { group: canonicalGroup(body) };
  if (members !== undefined) out.members = await memberIdsInSlices(members);
  return out;
}

// What a key system is told about a person: a bridge-chosen stable id (never an email) and the
// fields a holder record needs (key-systems.md §5, upsertHolder).
import { createHash } from "node:crypto";
import type { HolderSpec } from "../drivers/key-system-driver";
import { KEYBRIDGE_USER_URN, type StoredUser } from "../store/directory-types";

/**
 * Name-based UUID (RFC 9562 §5.5 layout, SHA-1) of (tenant, system, person): the same person always
 * gets the same holder id in a key system, so a retried create is found by lookup, never duplicated.
 */
export function holderExternalId(tenant: string, system: string, personId: string): string {
  const hex = createHash("sha1")
    .update(`keybridge\u0000${tenant}\u0000${system}\u0000${personId}`)
    .digest("hex");
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A non-empty string, or undefined: stored data is read as untrusted (an older edge let odd shapes in). */
function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** The primary entry's value, else the first usable one; null and non-object entries are skipped. */
function primaryValue(values: unknown): string | undefined {
  if (!Array.isArray(values)) return undefined;
  const usable = values.filter((v) => text(field(v, "value")) !== undefined);
  const primary = usable.find((v) => field(v, "primary") === true) ?? usable[0];
  return text(field(primary, "value"));
}

/** ISO 8601 UTC of a stored date, or undefined when it is not a date at all. */
function isoDate(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/**
 * Total: never throws, whatever the stored user looks like. Only an active person's holder is built
 * (offboarding needs none), but a grant must not fail on a null email either (issue #9 item 2).
 */
export function toHolderSpec(user: StoredUser, externalId: string): HolderSpec {
  const name = user.name as unknown;
  const spec: HolderSpec = {
    externalId,
    displayName:
      text(user.displayName) ?? text(field(name, "formatted")) ?? text(user.userName) ?? externalId,
  };
  const firstName = text(field(name, "givenName"));
  if (firstName) spec.firstName = firstName;
  const lastName = text(field(name, "familyName"));
  if (lastName) spec.lastName = lastName;
  const email = primaryValue(user.emails);
  if (email) spec.email = email;
  const phone = primaryValue(user.phoneNumbers);
  if (phone) spec.phone = phone;
  const until = isoDate(field(user[KEYBRIDGE_USER_URN], "accessValidUntil"));
  if (until) spec.employmentEnd = until;
  return spec;
}

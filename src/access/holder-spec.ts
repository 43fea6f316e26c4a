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

function primaryValue(values: StoredUser["emails"]): string | undefined {
  if (!values || values.length === 0) return undefined;
  return (values.find((v) => v.primary) ?? values[0])?.value;
}

export function toHolderSpec(user: StoredUser, externalId: string): HolderSpec {
  const spec: HolderSpec = {
    externalId,
    displayName: user.displayName ?? user.name?.formatted ?? user.userName,
  };
  if (user.name?.givenName) spec.firstName = user.name.givenName;
  if (user.name?.familyName) spec.lastName = user.name.familyName;
  const email = primaryValue(user.emails);
  if (email) spec.email = email;
  const phone = primaryValue(user.phoneNumbers);
  if (phone) spec.phone = phone;
  const until = user[KEYBRIDGE_USER_URN]?.accessValidUntil;
  if (until) spec.employmentEnd = new Date(until).toISOString();
  return spec;
}

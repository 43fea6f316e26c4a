// Turns a key system's credential setting and one person into what issuing needs (the phone number or
// the serial), or into the reason the person cannot be issued a credential — decided before any vendor call.
import type { CredentialKind, CredentialSpec } from "../drivers/key-system-driver";
import type { StoredUser } from "../store/directory-types";
import { parseAttributePath, readAttributePath } from "./read-attribute-path";

/** keySystems.<id>.credential as the worker sees it (attribute defaults applied here when absent). */
export interface CredentialSetting {
  kind: CredentialKind | "none";
  phoneAttribute?: string;
  serialAttribute?: string;
}

export const DEFAULT_PHONE_ATTRIBUTE = 'phoneNumbers[type eq "mobile"]';

/** Stable code of the needs-attention outcome (the person lacks what the credential needs). */
export const CREDENTIAL_UNAVAILABLE = "BRIDGE_CREDENTIAL_UNAVAILABLE";

export const CANNOT_ISSUE_MESSAGE = {
  phone: "person has no phone number in the configured credential.phoneAttribute; cannot issue a phone key",
  serial: "person has no key serial in the configured credential.serialAttribute; cannot issue the key",
} as const;

/** The planner's "cannot issue": a person who needs a credential but cannot be issued one. */
export interface CannotIssue {
  cannotIssue: { code: typeof CREDENTIAL_UNAVAILABLE; message: string; missing: "phone" | "serial" };
}

export type CredentialRequest = CredentialSpec | CannotIssue;

export function isCannotIssue(request: CredentialRequest | null): request is CannotIssue {
  return request !== null && "cannotIssue" in request;
}

function read(user: StoredUser, path: string | undefined): string | undefined {
  const parsed = path ? parseAttributePath(path) : null;
  return parsed ? readAttributePath(user, parsed) : undefined;
}

function cannot(missing: "phone" | "serial"): CannotIssue {
  return { cannotIssue: { code: CREDENTIAL_UNAVAILABLE, message: CANNOT_ISSUE_MESSAGE[missing], missing } };
}

/** What the driver cannot issue without (DriverCapabilities.credentialNeeds). */
export interface CredentialNeeds {
  phone?: boolean;
  serial?: boolean;
}

/**
 * What to issue to `user` under `setting` (null: the system issues nothing). Phone keys carry the
 * number from phoneAttribute (and the primary e-mail for the registration message, iLOQ §2.5 step 2);
 * tags and physical keys carry the serial from serialAttribute. A value the driver needs but the person
 * lacks makes "cannot issue"; one it does not need is sent when present.
 */
export function credentialRequest(
  user: StoredUser,
  setting: CredentialSetting | null,
  needs: CredentialNeeds,
  email?: string,
): CredentialRequest | null {
  if (!setting || setting.kind === "none") return null;
  if (setting.kind === "phone") {
    const phone = read(user, setting.phoneAttribute ?? DEFAULT_PHONE_ATTRIBUTE);
    if (!phone && needs.phone) return cannot("phone");
    return { kind: "phone", ...(phone ? { phone } : {}), ...(email ? { email } : {}) };
  }
  const serial = read(user, setting.serialAttribute);
  if (!serial && needs.serial) return cannot("serial");
  return { kind: setting.kind, ...(serial ? { serial } : {}) };
}

// Which index entries a user or group has: the normalised values behind every indexed filter.
//
// Case-insensitive attributes (caseExact=false in RFC 7643 §4.1.1/§4.1.2/§4.2: userName, displayName,
// emails.value) are stored lower-cased; ids, externalId and manager.value compare exactly.
import { ENTERPRISE_USER_URN } from "./directory-types";

export type IndexName = "userName" | "externalId" | "displayName" | "emails" | "emailsWork" | "manager";

export interface IndexEntry {
  index: IndexName;
  value: string;
}

/**
 * Index entries that are only matched in memory: a work email is also in `emails`, so
 * `emails[type eq "work"].value eq` finds candidates there and checks the type on the resource
 * (saves a second sorted-set entry per user).
 */
export const MEMORY_ONLY: ReadonlySet<IndexName> = new Set(["emailsWork"]);

/** The index whose sorted set answers lookups for this index name. */
export function storedIndexOf(index: IndexName): IndexName {
  return index === "emailsWork" ? "emails" : index;
}

/** Separates the value from the id in a lexicographic index member. */
export const LEX_SEP = "\0";

const CASE_INSENSITIVE: ReadonlySet<IndexName> = new Set(["userName", "displayName", "emails", "emailsWork"]);

/** The form a value takes in the index and in comparisons (no NUL: it is the separator). */
export function normaliseValue(index: IndexName, value: string): string {
  const clean = value.replaceAll(LEX_SEP, "");
  return CASE_INSENSITIVE.has(index) ? clean.toLowerCase() : clean;
}

export function lexMember(value: string, id: string): string {
  return value + LEX_SEP + id;
}

export function idOfLexMember(member: string): string {
  return member.slice(member.lastIndexOf(LEX_SEP) + 1);
}

export function valueOfLexMember(member: string): string {
  return member.slice(0, member.lastIndexOf(LEX_SEP));
}

function push(out: IndexEntry[], index: IndexName, value: unknown): void {
  if (typeof value !== "string" || value === "") return;
  const normalised = normaliseValue(index, value);
  if (!out.some((e) => e.index === index && e.value === normalised)) out.push({ index, value: normalised });
}

export function userIndexEntries(user: Record<string, unknown>): IndexEntry[] {
  const out: IndexEntry[] = [];
  push(out, "userName", user.userName);
  push(out, "externalId", user.externalId);
  push(out, "displayName", user.displayName);
  const emails = Array.isArray(user.emails) ? (user.emails as Record<string, unknown>[]) : [];
  for (const email of emails) {
    push(out, "emails", email?.value);
    if (typeof email?.type === "string" && email.type.toLowerCase() === "work")
      push(out, "emailsWork", email.value);
  }
  const enterprise = user[ENTERPRISE_USER_URN] as { manager?: { value?: unknown } } | undefined;
  push(out, "manager", enterprise?.manager?.value);
  return out;
}

export function groupIndexEntries(group: Record<string, unknown>): IndexEntry[] {
  const out: IndexEntry[] = [];
  push(out, "displayName", group.displayName);
  push(out, "externalId", group.externalId);
  return out;
}

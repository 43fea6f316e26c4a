// What conditions look at about one person, gathered once per evaluation so every rule's group and role
// tests are Set lookups instead of scans.
import type { GroupRef, StoredUser } from "../store/directory-types";
import { ENTERPRISE_USER_URN, KEYBRIDGE_USER_URN } from "../store/directory-types";

export interface MappingPerson {
  user: StoredUser;
  groups: GroupRef[];
}

export interface PersonFacts {
  user: StoredUser;
  groups: GroupRef[];
  /** Membership tests; the Set behind each is built on first use (most rules test only externalId). */
  hasGroupId(id: string): boolean;
  hasGroupExternalId(externalId: string): boolean;
  /** Takes a lower-cased name: group displayName is caseExact=false (RFC 7643 §4.2). */
  hasGroupName(lowerCaseName: string): boolean;
}

function lazySet(build: () => Set<string>): (value: string) => boolean {
  let set: Set<string> | undefined;
  return (value) => {
    if (!set) set = build();
    return set.has(value);
  };
}

export function collectPersonFacts(person: MappingPerson): PersonFacts {
  const groups = person.groups;
  return {
    user: person.user,
    groups,
    hasGroupId: lazySet(() => new Set(groups.map((g) => g.id))),
    hasGroupExternalId: lazySet(() => {
      const set = new Set<string>();
      for (const g of groups) if (g.externalId !== undefined) set.add(g.externalId);
      return set;
    }),
    hasGroupName: lazySet(() => new Set(groups.map((g) => g.displayName.toLowerCase()))),
  };
}

type Getter = (user: StoredUser) => unknown;

/** Reads one single-valued attribute named in a condition. */
export const SCALAR_GETTERS: Record<string, Getter> = {
  department: (u) => u[ENTERPRISE_USER_URN]?.department,
  division: (u) => u[ENTERPRISE_USER_URN]?.division,
  costCenter: (u) => u[ENTERPRISE_USER_URN]?.costCenter,
  organization: (u) => u[ENTERPRISE_USER_URN]?.organization,
  employeeType: (u) => u[ENTERPRISE_USER_URN]?.employeeType,
  employeeNumber: (u) => u[ENTERPRISE_USER_URN]?.employeeNumber,
  accessValidFrom: (u) => u[KEYBRIDGE_USER_URN]?.accessValidFrom,
  accessValidUntil: (u) => u[KEYBRIDGE_USER_URN]?.accessValidUntil,
  userType: (u) => u.userType,
  title: (u) => u.title,
  active: (u) => u.active,
  locale: (u) => u.locale,
  preferredLanguage: (u) => u.preferredLanguage,
  timezone: (u) => u.timezone,
};

function multiValues(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  const out: string[] = [];
  for (const item of list) {
    const value = (item as { value?: unknown } | null)?.value;
    if (typeof value === "string") out.push(value);
  }
  return out;
}

/** Reads one multi-valued attribute; `site` is a comma-separated list of site codes. */
export const MULTI_GETTERS: Record<string, (user: StoredUser) => string[]> = {
  role: (u) => multiValues(u.roles),
  entitlement: (u) => multiValues(u.entitlements),
  site: (u) => {
    const site = u[KEYBRIDGE_USER_URN]?.site;
    if (typeof site !== "string") return [];
    return site
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  },
};

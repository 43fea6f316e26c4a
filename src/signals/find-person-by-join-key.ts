// Matches an IdP's id of a person to our person id through the tenant's join key, using the
// directory's indexes (externalId, userName) or a bounded scan for another attribute path. Zero or
// several matches are "no match": a signal is never applied to a guessed person (issue #11 item 1).
import type { Filter, ListQuery, ListResult } from "../store/directory-store-api";
import type { StoredUser } from "../store/directory-types";

export interface PersonFinder {
  queryUsers(tenant: string, query: ListQuery): Promise<ListResult<StoredUser>>;
}

/** `<urn>:attr` → [urn, attr]; `attr.sub` → [attr, sub]; `attr` → [attr]. */
export function joinKeyPath(joinKey: string): string[] {
  if (joinKey.startsWith("urn:")) {
    const cut = joinKey.lastIndexOf(":");
    return [joinKey.slice(0, cut), ...joinKey.slice(cut + 1).split(".")];
  }
  return joinKey.split(".");
}

export function joinKeyFilter(joinKey: string, value: string): Filter {
  if (joinKey === "externalId" || joinKey === "userName") return [[{ attr: joinKey, op: "eq", value }]];
  return [
    [{ attr: "scan", path: joinKeyPath(joinKey), op: "eq", value, negated: false, compare: "caseExact" }],
  ];
}

export async function findPersonByJoinKey(
  store: PersonFinder,
  tenant: string,
  joinKey: string,
  subject: string,
): Promise<string | null> {
  if (subject === "") return null;
  const found = await store.queryUsers(tenant, {
    filter: joinKeyFilter(joinKey, subject),
    startIndex: 1,
    count: 2,
  });
  return found.resources.length === 1 ? (found.resources[0]?.id ?? null) : null;
}

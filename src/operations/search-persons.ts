// Finds persons for an operator: by SCIM id, userName or displayName prefix, or exact externalId, in
// one tenant or all, through the directory's indexes (no scan of every user). The console's person
// search and the admin API's `GET /tenants/{tenant}/persons` both use it; an empty query lists the
// first persons.
import type { RedisDirectoryStore } from "../store/directory-store";
import type { Filter } from "../store/directory-store-api";

export interface PersonHit {
  tenant: string;
  id: string;
  userName: string;
  displayName?: string;
  externalId?: string;
  active: boolean;
}

/** Longest query accepted: it becomes index range lookups, which stay cheap only when bounded. */
export const SEARCH_MAX_LENGTH = 200;

export async function searchPersons(
  store: RedisDirectoryStore,
  tenants: string[],
  query: string,
  limit = 25,
): Promise<PersonHit[]> {
  const q = query.trim().slice(0, SEARCH_MAX_LENGTH);
  const filter: Filter | null = !q
    ? null
    : [
        [{ attr: "id", op: "eq", value: q }],
        [{ attr: "userName", op: "sw", value: q }],
        [{ attr: "displayName", op: "sw", value: q }],
        [{ attr: "externalId", op: "eq", value: q }],
      ];
  const hits: PersonHit[] = [];
  for (const tenant of tenants) {
    const found = await store.queryUsers(tenant, { filter, startIndex: 1, count: limit - hits.length });
    for (const u of found.resources) {
      const hit: PersonHit = { tenant, id: u.id, userName: u.userName, active: u.active };
      if (u.displayName) hit.displayName = u.displayName;
      if (u.externalId) hit.externalId = u.externalId;
      hits.push(hit);
    }
    if (hits.length >= limit) break;
  }
  return hits;
}

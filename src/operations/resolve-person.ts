// Finds a person by SCIM id or, for an operator's convenience, by userName. A deleted person is still
// found by id while the pipeline remembers them (their generation), so their revocation can be inspected.
import type { RedisDirectoryStore } from "../store/directory-store";

export async function resolvePerson(
  store: RedisDirectoryStore,
  tenant: string,
  user: string,
): Promise<string | null> {
  if (await store.getUser(tenant, user)) return user;
  const found = await store.queryUsers(tenant, {
    filter: [[{ attr: "userName", op: "eq", value: user }]],
    startIndex: 1,
    count: 1,
  });
  if (found.resources[0]) return found.resources[0].id;
  return (await store.getGeneration(tenant, user)) > 0 ? user : null;
}

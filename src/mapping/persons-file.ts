// Reads persons from JSON (an array, or `{ persons: [...] }`) for golden tests, the bench and the CLI's
// offline `--persons` option, so plans and explanations can run without a directory.
import type { GroupRef, StoredUser } from "../store/directory-types";

export interface TenantPerson {
  tenant: string;
  user: StoredUser;
  groups: GroupRef[];
}

function isPerson(value: unknown): value is TenantPerson {
  const v = value as Partial<TenantPerson> | null;
  return (
    typeof v?.tenant === "string" &&
    typeof v.user?.id === "string" &&
    typeof v.user.userName === "string" &&
    typeof v.user.active === "boolean" &&
    Array.isArray(v.groups)
  );
}

/** Throws with the index of the first entry that is not `{ tenant, user: {id, userName, active}, groups }`. */
export function parsePersonsFile(text: string): TenantPerson[] {
  const raw = JSON.parse(text) as unknown;
  const list = Array.isArray(raw) ? raw : (raw as { persons?: unknown } | null)?.persons;
  if (!Array.isArray(list)) throw new Error("persons file: expected an array or { persons: [...] }");
  for (const [i, p] of list.entries())
    if (!isPerson(p)) throw new Error(`persons file: entry ${i} is not { tenant, user, groups }`);
  return list as TenantPerson[];
}

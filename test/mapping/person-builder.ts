// Builds StoredUser fixtures for mapping tests with only the attributes a case cares about.
import type { GroupRef, StoredUser } from "../../src/store/directory-types";
import { ENTERPRISE_USER_URN, KEYBRIDGE_USER_URN } from "../../src/store/directory-types";

export interface PersonSpec {
  active?: boolean;
  created?: string;
  userType?: string;
  title?: string;
  roles?: string[];
  department?: string;
  employeeType?: string;
  site?: string;
  accessValidFrom?: string;
  accessValidUntil?: string;
  groups?: GroupRef[];
}

export function person(spec: PersonSpec, id = "u-1"): { user: StoredUser; groups: GroupRef[] } {
  const created = spec.created ?? "2025-01-01T00:00:00Z";
  const user: StoredUser = {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    id,
    userName: `${id}@example.com`,
    active: spec.active ?? true,
    meta: { resourceType: "User", created, lastModified: created, version: 'W/"1"' },
  };
  if (spec.userType) user.userType = spec.userType;
  if (spec.title) user.title = spec.title;
  if (spec.roles) user.roles = spec.roles.map((value) => ({ value }));
  if (spec.department || spec.employeeType)
    user[ENTERPRISE_USER_URN] = { department: spec.department, employeeType: spec.employeeType };
  if (spec.site || spec.accessValidFrom || spec.accessValidUntil)
    user[KEYBRIDGE_USER_URN] = {
      site: spec.site,
      accessValidFrom: spec.accessValidFrom,
      accessValidUntil: spec.accessValidUntil,
    };
  return { user, groups: spec.groups ?? [] };
}

export const group = (id: string, displayName: string, externalId?: string): GroupRef =>
  externalId === undefined ? { id, displayName } : { id, displayName, externalId };

// The directory as the rest of keybridge reads it: stored SCIM users, group references, snapshots.
// The SCIM edge writes these; mapping/ evaluates them; reconcile/ reads them through DirectoryReader.
import type { SignalHold } from "../signals/signal-hold";

export const CORE_USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User";
export const CORE_GROUP_URN = "urn:ietf:params:scim:schemas:core:2.0:Group";
export const ENTERPRISE_USER_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
/** keybridge's own User extension, onto which IdPs map HR dates and sites. */
export const KEYBRIDGE_USER_URN = "urn:keybridge:params:scim:schemas:extension:access:2.0:User";

export interface MultiValued {
  value?: string;
  display?: string;
  type?: string;
  primary?: boolean;
}

export interface EnterpriseUserExtension {
  employeeNumber?: string;
  costCenter?: string;
  organization?: string;
  division?: string;
  department?: string;
  manager?: { value?: string; displayName?: string; $ref?: string };
  /** Not in RFC 7643's enterprise schema, but commonly mapped by IdPs; kept when sent. */
  employeeType?: string;
}

export interface KeybridgeUserExtension {
  /** Site code(s) the person works at, e.g. "north-substation". */
  site?: string;
  /** ISO 8601: access must not start before this instant (joiner start date). */
  accessValidFrom?: string;
  /** ISO 8601: access must end at this instant (contract end, leaving date). */
  accessValidUntil?: string;
}

/** A User as stored: the canonical SCIM resource (RFC 7643 §4.1) after normalisation. */
export interface StoredUser {
  schemas: string[];
  id: string;
  externalId?: string;
  userName: string;
  active: boolean;
  displayName?: string;
  name?: { formatted?: string; givenName?: string; familyName?: string; middleName?: string };
  title?: string;
  userType?: string;
  emails?: MultiValued[];
  phoneNumbers?: MultiValued[];
  roles?: MultiValued[];
  entitlements?: MultiValued[];
  [ENTERPRISE_USER_URN]?: EnterpriseUserExtension;
  [KEYBRIDGE_USER_URN]?: KeybridgeUserExtension;
  meta: { resourceType: "User"; created: string; lastModified: string; version: string; location?: string };
  [attribute: string]: unknown;
}

/** What mapping rules may match on about a group a person belongs to. */
export interface GroupRef {
  id: string;
  externalId?: string;
  displayName: string;
}

/** One person as the pipeline reconciles them. */
export interface PersonSnapshot {
  tenant: string;
  user: StoredUser;
  groups: GroupRef[];
  /** Bumped in the same atomic step as every change that can alter this person's access. */
  generation: number;
  /** What IdP signals hold against the person (suspension, suppressed groups); absent: nothing. */
  signalHold?: SignalHold;
  /**
   * Key systems ("*": all) where an operator's emergency revoke suspends the person: the mappings
   * desire nothing there (set by reconcile/suspending-directory.ts, operations/operator-suspensions.ts).
   */
  suspendedIn?: string[];
  /** Of those, where the operator reported the key lost: its credentials are revoked as lost. */
  lostKeyIn?: string[];
}

export interface DirectoryReader {
  /** Null when the person was deleted (the pipeline then revokes everything it holds). */
  getPerson(tenant: string, personId: string): Promise<PersonSnapshot | null>;
  /** getPerson of many persons of one tenant in a few round trips, in order (a full-resync batch). */
  getPersons?(tenant: string, personIds: string[]): Promise<Array<PersonSnapshot | null>>;
  getGeneration(tenant: string, personId: string): Promise<number>;
  /** All person ids of a tenant, in pages, for full resync and mapping plans. */
  scanPersonIds(tenant: string, pageSize?: number): AsyncIterable<string[]>;
  /** All groups of a tenant (for mapping validation warnings). */
  listGroups(tenant: string): Promise<GroupRef[]>;
}

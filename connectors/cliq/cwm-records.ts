// CLIQ records as the driver logic sees them, independent of the wire format (which lives only in
// cwm-adapter.ts). Concepts and names follow the documented CWM model (key-systems.md §1.2).

export type CliqKeyKind = "normal" | "dynamic" | "connect";
export type CliqKeyStatus = "in_stock" | "handed_out" | "lost" | "broken" | "returned";

/** CLIQ validity is per key: always, never, or between two dates (§1.2). */
export interface CliqValidity {
  mode: "always" | "never" | "between";
  from?: string;
  to?: string;
}

/** The access a key carries: access profiles, direct cylinder authorisations, validity, schedule. */
export interface CliqAccess {
  profileIds: string[];
  cylinderIds: string[];
  validity: CliqValidity;
  scheduleId: string | null;
}

export interface CliqKey {
  id: string;
  serial: string;
  kind: CliqKeyKind;
  status: CliqKeyStatus;
  holderId: string | null;
  /** What CWM holds for the key. */
  planned: CliqAccess;
  /** What the key (or, for normal keys, its cylinders) carries physically; null before programming. */
  programmed: CliqAccess | null;
  /** A remote update or cylinder job is waiting for the key / cylinders. */
  updatePending: boolean;
  revalidation: { enabled: boolean; intervalDays: number; lastValidatedAt?: string };
  domainId: string;
}

export interface CliqPerson {
  id: string;
  firstName: string;
  lastName: string;
  email?: string;
  externalId: string | null;
  domainIds: string[];
}

export interface CliqPersonInput {
  externalId: string;
  firstName: string;
  lastName: string;
  email?: string;
  domainId: string;
}

export interface CliqProfile {
  id: string;
  name: string;
  domainId: string;
}

export interface CliqScheduleInterval {
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** "HH:MM" local time; end may be "24:00". */
  start: string;
  end: string;
}

/** A CWM schedule template (§1.2 "schedule templates", available since CWM 2.8). */
export interface CliqSchedule {
  id: string;
  name: string;
  timeZone: string;
  intervals: CliqScheduleInterval[];
}

export interface CliqChange {
  key: CliqKey;
  /** "key" = a remote update waits for the key; "cylinders" = programming jobs wait for cylinders. */
  waitsFor: "key" | "cylinders";
  jobCount: number;
}

export interface CliqBlock {
  key: CliqKey;
  cylinderJobs: number;
  /** min(validity end, last validation + revalidation interval), null when unbounded (§1.3). */
  exposureUntil: string | null;
}

export interface CliqEventRecord {
  seq: number;
  id: string;
  occurredAt: string;
  receivedAt: string;
  kind: string;
  keyId?: string;
  cylinderId?: string;
  personId?: string;
}

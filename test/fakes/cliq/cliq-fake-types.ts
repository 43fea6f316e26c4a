// Resource shapes of the "CWM-like v0" CLIQ fake (key-systems.md §6.2). Every name here is [inf]: no
// public ASSA ABLOY integration spec exists (§1.1); the concepts behind them trace to §1.2–1.3.

export type PersonType = "employee" | "visitor";
export type KeyType = "normal" | "dynamic" | "connect";
export type KeyStatus = "in_stock" | "handed_out" | "lost" | "broken" | "returned";

export interface ExternalLink {
  system: string;
  value: string;
}

export interface Person {
  id: string;
  type: PersonType;
  firstName: string;
  lastName: string;
  email?: string;
  externalLinks: ExternalLink[];
  tags: string[];
  domainIds: string[];
  deleted: boolean;
}

/** CLIQ validity is separate from the schedule: always, never, or between two dates (§1.2). */
export interface Validity {
  mode: "always" | "never" | "between";
  from?: string;
  to?: string;
}

export interface Revalidation {
  enabled: boolean;
  intervalDays: number;
  lastValidatedAt?: string;
}

/** What a key (or, for normal keys, its cylinders) carries physically once programmed [inf field]. */
export interface KeyAccess {
  accessProfileIds: string[];
  cylinderAuthorisations: string[];
  validity: Validity;
  scheduleId: string | null;
}

export interface Key extends KeyAccess {
  id: string;
  /** The 9-digit serial engraved on the key (Genetec CLIQ plugin guide, §1.2 [3p]). */
  serial: string;
  keyType: KeyType;
  status: KeyStatus;
  holderId: string | null;
  revalidation: Revalidation;
  accessListCapacity: number;
  pendingUpdate: { jobId: string; createdAt: string } | null;
  lastProgrammedAt: string | null;
  domainId: string;
  /** The last programmed access; null before the first programming [inf extension of §6.2]. */
  programmed: KeyAccess | null;
}

export interface Cylinder {
  id: string;
  marking: string;
  name: string;
  domainId: string;
  groupId: string | null;
  /** Keys blocked in the cylinder as programmed; ≤ 3000 (ASSA UK CLIQ Remote FAQ, §1.2). */
  blocklist: string[];
  pendingBlocklist: string[];
  lastProgrammedAt: string | null;
}

export interface CylinderGroup {
  id: string;
  marking: string;
  name: string;
  domainId: string;
}

export interface AccessProfile {
  id: string;
  name: string;
  domainId: string;
  cylinderIds: string[];
  cylinderGroupIds: string[];
}

export interface ScheduleInterval {
  /** 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** "HH:MM" local time in the schedule's time zone; end may be "24:00" [inf]. */
  start: string;
  end: string;
}

/**
 * A CWM schedule template: weekly time windows, separate from validity (§1.2 "Validity is separate from
 * the schedule"). That a template carries an IANA time zone, and that the API can create one, is [inf].
 */
export interface Schedule {
  id: string;
  name: string;
  timeZone: string;
  intervals: ScheduleInterval[];
}

export type JobKind = "key_remote_update" | "cylinder_programming";
export type JobState = "pending" | "delivered" | "done" | "failed";

export interface Job {
  id: string;
  kind: JobKind;
  /** The key (key_remote_update) or cylinder (cylinder_programming) the job runs on. */
  targetId: string;
  /** The key the change concerns, for both kinds [inf extension of §6.2]. */
  keyId: string;
  payloadSummary: string;
  state: JobState;
  createdAt: string;
  updatedAt: string;
}

export type EventKind =
  | "access_granted"
  | "access_denied"
  | "key_updated"
  | "hand_out"
  | "hand_in"
  | "reported_lost"
  | "cylinder_programmed";

export interface CliqEvent {
  id: string;
  seq: number;
  occurredAt: string;
  receivedAt: string;
  kind: EventKind;
  keyId?: string;
  cylinderId?: string;
  personId?: string;
  source: "key_upload" | "cylinder_upload" | "system";
}

/** An API certificate's subject CN maps to one of these: permitted procedures and domains (§1.2 roles). */
export interface ApiUser {
  name: string;
  procedures: Procedure[];
  domainIds: string[];
}

export type Procedure = "read" | "manage_persons" | "hand_out" | "change_access" | "hand_in" | "report_lost";

export const ALL_PROCEDURES: Procedure[] = [
  "read",
  "manage_persons",
  "hand_out",
  "change_access",
  "hand_in",
  "report_lost",
];

/** Switches for every [inf] behaviour, so they can be tuned once real CWM behaviour is known. */
export interface CliqFakeBehaviour {
  /** Normal keys have no access list: answer 202 with cylinder jobs, or refuse with 422 [inf]. */
  normalKeyAccess: "cylinder_jobs" | "reject";
  /** Status a handed-in key gets [inf]. */
  handInStatus: "in_stock" | "returned";
  /** Page size of GET events when the caller gives no limit. */
  defaultEventLimit: number;
  /** Recommended maximum of jobs per programming key (DACH FAQ, §1.2); warns only. */
  jobsPerProgrammingKeyWarn: number;
  /** Optional token bucket per API certificate: 429 + Retry-After when empty [inf]; off when null. */
  rateLimit: { burst: number; perSecond: number } | null;
}

export const DEFAULT_BEHAVIOUR: CliqFakeBehaviour = {
  normalKeyAccess: "cylinder_jobs",
  handInStatus: "in_stock",
  defaultEventLimit: 100,
  jobsPerProgrammingKeyWarn: 30,
  rateLimit: null,
};

export interface CliqSeed {
  persons?: Person[];
  keys?: Key[];
  cylinders?: Cylinder[];
  cylinderGroups?: CylinderGroup[];
  accessProfiles?: AccessProfile[];
  schedules?: Schedule[];
  apiUsers?: Record<string, ApiUser>;
}

/** A vendor-surface error as the fake answers it: `{code, message}` with an HTTP status [inf]. */
export class CliqFakeError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

// State and switches of the iLOQ Public API v2 fake (key-systems.md §6.1); field names are the vendor's.
import type { Clock } from "../../../src/drivers/key-system-driver";

/** Behaviours the iLOQ documentation does not pin down; each is an assumption and can be switched. */
export interface IloqFakeAssumptions {
  /** [inf] Idle timeout of a session; not documented (§2.1). */
  sessionIdleTimeoutMs: number;
  /** [inf] HTTP status for an unknown or expired SessionId (§2.1 "assume 401 or 403"). */
  sessionInvalidStatus: 401 | 403;
  /** [inf] Message in the body of that response (§6.1). */
  sessionInvalidMessage: string;
  /** [3p] Status for unknown ids; the Message contains "Invalid value" (§2.7). */
  invalidValueStatus: number;
  /** [inf] Failed logins before CreateSession answers 7 (then 8) (§6.1.3). */
  lockoutThreshold: number;
  /** [inf] CreateSession Result when the system is not "Public API in use" (§2.1; code unknown). */
  apiDisabledResult: number;
  /** [inf] API Gateway mode: every call needs `x-api-key`, 403 without it (§6.1). */
  gatewayApiKey: string | null;
  /** [inf] Token bucket per SessionId; null = no rate limit (none documented, §2.7). */
  rateLimit: { capacity: number; refillPerSecond: number } | null;
  /** [inf] Race toggle: PUT Keys/{id}/SecurityAccesses reads, waits this long, then writes. */
  raceDelayMs: number;
  /** Max security accesses per key: CanAdd 3 (§2.4; configurable per §6.1.5). */
  maxAccessesPerKey: number;
  /** Max time-limit slots per key: CanAddTimeLimit 12 (§2.2: 10–23 depending on firmware). */
  maxTimeLimitSlots: number;
  /** [inf] Max weekly entries (TimeLimitData) in one time profile: CanAddTimeLimit 12. */
  maxTimeLimitData: number;
  /** Licence count of ordered phone keys: CanOrder 3 (§6.1.5). */
  phoneKeyLicences: number;
  /** [inf] S50 systems need Manager + token to order the blocklist: CanOrderS40Blacklist 1. */
  blacklistNeedsManager: boolean;
  /** Webhook receiver timeout (§2.6: 5 s). */
  webhookTimeoutMs: number;
}

export const defaultAssumptions: IloqFakeAssumptions = {
  sessionIdleTimeoutMs: 20 * 60_000,
  sessionInvalidStatus: 401,
  sessionInvalidMessage: "Session not valid",
  invalidValueStatus: 400,
  lockoutThreshold: 5,
  apiDisabledResult: 0,
  gatewayApiKey: null,
  rateLimit: null,
  raceDelayMs: 0,
  maxAccessesPerKey: 10,
  maxTimeLimitSlots: 10,
  maxTimeLimitData: 7,
  phoneKeyLicences: 1000,
  blacklistNeedsManager: false,
  webhookTimeoutMs: 5000,
};

export interface FakeUser {
  UserName: string;
  Password: string;
  CustomerCode: string;
  failedLogins: number;
  lockedOut: boolean;
  RightsMask: number;
}

export interface FakeLockGroup {
  LockGroup_ID: string;
  Name: string;
  Description: string;
  Customer_ID: string;
  CountryCode: string;
  TimeZoneStandardName: string;
  State: number;
  OptionMask: number;
  apiEnabled: boolean;
}

export interface FakeZone {
  Zone_ID: string;
  LockGroup_ID: string;
  Name: string;
  Description: string;
  Type: number;
}

export interface FakeSecurityAccess {
  SecurityAccess_ID: string;
  LockGroup_ID: string;
  Name: string;
  Description: string;
  /** 0 key security access, 1 standard, 2 mask, 3 API access (§2.2). */
  Type: number;
  /** 0 active, 1 not in use, 2 blocklisted, 3 led to blocklist via key, 4 blocked. */
  Status: number;
  Zone_ID: string;
  /** Locks this right opens (fake-only; Manager keeps this in lock programming). */
  lockIds: string[];
}

export interface FakePerson {
  Person_ID: string;
  LockGroup_ID: string;
  ExternalPersonId: string;
  PersonCode: string;
  FirstName: string;
  LastName: string;
  Description: string;
  eMail: string;
  Phone1: string;
  EmploymentEndDate: string | null;
  State: number;
  zoneIds: string[];
}

/** One time-limit slot as the API carries it (§2.2: slot 0 start, slot 1 end, 2+ profiles). */
export interface FakeTimeLimitSlot {
  SlotNo: number;
  LimitDateLg: string | null;
  TimeLimitTitle_ID: string | null;
  TimeLimitData: Array<{ WeekDayMask: number; StartTimeMS: number; EndTimeMS: number }>;
}

export interface FakeRights {
  securityAccessIds: string[];
  timeLimitSlots: FakeTimeLimitSlot[];
}

export interface FakeKey {
  FNKey_ID: string;
  LockGroup_ID: string;
  Person_ID: string | null;
  KeyTypeMask: number;
  Description: string;
  ExpireDate: string | null;
  TagKey: string | null;
  Stamp: string;
  PhoneNo: string | null;
  Email: string | null;
  PhoneOptionMask: number;
  zoneIds: string[];
  /** PniLogicalState (§2.2): 0 planning, 1 ordered, 2 fetched, 3 programmed. */
  State: number;
  everProgrammed: boolean;
  planned: FakeRights;
  /** What the physical/phone key holds (mode=2); null before first programming. */
  programmed: FakeRights | null;
  /** The packet an Order produced, waiting for the phone or a programming device. */
  packet: FakeRights | null;
  OfflineExpirationSeconds: number | null;
}

export interface FakeLock {
  FLock_ID: string;
  LockGroup_ID: string;
  Name: string;
  /** Blocklist version the lock knows; raised by the control plane "lock sync". */
  blocklistVersion: number;
}

export interface FakeBlacklistItem {
  FNKey_ID: string;
  LockGroup_ID: string;
  ChangeType: number;
  BlackListDateUtc: string;
  /** Packet version that carries this item; 0 until OrderS40Blacklist. */
  BlacklistVersion: number;
}

export interface FakeBlacklistPacket {
  BlacklistPacket_ID: string;
  HardDataVersion: number;
  SoftDataVersion: number;
  /** [inf] 1 ordered, 3 every lock of the group has it (mirrors PniLogicalState). */
  State: number;
}

export interface FakeLockLog {
  DeviceLog_ID: string;
  LockGroup_ID: string;
  AccessTypeMask: number;
  FLock_ID: string;
  FNKey_ID: string | null;
  Person_ID: string | null;
  /** Event time (UTC); GoingDate is rendered local. */
  goingUtc: Date;
  /** Arrival time in the database (UTC): the GetLockLogDataByTimestamp cursor. */
  timestampUtc: Date;
  ErrorCode: number;
}

export interface FakeSubscription {
  SubscriptionId: string;
  LockGroup_ID: string;
  WebhookEventId: string;
  TargetEndpointUri: string;
  StartDateUtc: string;
  EndDateUtc: string;
  CustomHeader: string | null;
  SignKey: string;
  State: number;
  Counter: number;
  payloads: FakeWebhookPayload[];
}

export interface FakeWebhookPayload {
  counter: number;
  body: string;
  eventName: string;
  attempts: number;
  delivered: boolean;
  nextAttemptAt: Date | null;
  lastStatus: number | null;
}

export interface FakeSession {
  SessionID: string;
  userName: string;
  lockGroupId: string | null;
  lastUsed: Date;
}

export interface IloqFakeState {
  getUrlResult: string | null;
  maintenance: boolean;
  users: FakeUser[];
  lockGroups: FakeLockGroup[];
  zones: FakeZone[];
  securityAccesses: FakeSecurityAccess[];
  persons: Map<string, FakePerson>;
  keys: Map<string, FakeKey>;
  locks: FakeLock[];
  blacklist: FakeBlacklistItem[];
  packets: Map<string, FakeBlacklistPacket>;
  lockLogs: FakeLockLog[];
  subscriptions: FakeSubscription[];
  sessions: Map<string, FakeSession>;
}

export function emptyState(): IloqFakeState {
  return {
    getUrlResult: null,
    maintenance: false,
    users: [],
    lockGroups: [],
    zones: [],
    securityAccesses: [],
    persons: new Map(),
    keys: new Map(),
    locks: [],
    blacklist: [],
    packets: new Map(),
    lockLogs: [],
    subscriptions: [],
    sessions: new Map(),
  };
}

export interface IloqFakeOptions {
  clock: Clock;
  assumptions?: Partial<IloqFakeAssumptions>;
  /** Ids for sessions, logs and sign keys; deterministic in tests. */
  newId?: () => string;
}

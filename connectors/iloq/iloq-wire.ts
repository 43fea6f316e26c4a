// iLOQ Public API v2 wire objects the driver reads and writes (key-systems.md §2.2, §2.3); vendor names kept.

export interface IloqLockGroup {
  LockGroup_ID: string;
  Name: string;
  TimeZoneStandardName?: string | null;
}

export interface IloqZone {
  Zone_ID: string;
  Name: string;
  Type: number;
}

export interface IloqSecurityAccess {
  SecurityAccess_ID: string;
  Name: string;
  /** 0 key security access, 1 standard, 2 mask, 3 API access: only 3 is changeable remotely. */
  Type: number;
  /** 0 active, 1 not in use, 2–4 blocklist-related. */
  Status: number;
  Zone_ID?: string | null;
}

export interface IloqPerson {
  Person_ID: string;
  ExternalPersonId: string;
  PersonCode?: string;
  FirstName?: string;
  LastName?: string;
  eMail?: string;
  Phone1?: string;
  EmploymentEndDate?: string | null;
  State?: number;
  [field: string]: unknown;
}

export interface IloqKey {
  FNKey_ID: string;
  Person_ID: string | null;
  KeyTypeMask: number;
  Description?: string;
  ExpireDate?: string | null;
  TagKey?: string | null;
  /** PniLogicalState: 0 planning, 1 ordered, 2 fetched, 3 programmed, 7 on programming key. */
  State: number;
  IsProgrammed?: boolean;
  [field: string]: unknown;
}

export interface IloqTimeLimitSlot {
  SlotNo: number;
  LimitDateLg: string | null;
  TimeLimitTitle_ID: string | null;
  TimeLimitData: Array<{ WeekDayMask: number; StartTimeMS: number; EndTimeMS: number }>;
}

export interface IloqKeyAccesses {
  SecurityAccesses: IloqSecurityAccess[];
  OutsideUserZonesCount?: number;
}

export interface IloqKeyTimeLimits {
  KeyTimeLimitSlots: IloqTimeLimitSlot[];
}

export interface IloqBlacklist {
  BlacklistItems: Array<{ FNKey_ID: string; BlacklistVersion: number; BlackListDateUtc?: string }>;
  BlacklistPacket: { SoftDataVersion: number; State: number } | null;
}

export interface IloqLockLogRow {
  DeviceLog_ID: string;
  AccessTypeMask: number;
  FLock_ID: string | null;
  FNKey_ID: string | null;
  Person_ID?: string | null;
  /** Event time, local to the lock group. */
  GoingDate: string;
  /** Arrival in the iLOQ database (UTC). */
  TimestampUtc: string;
}

/** KeyTypeMask values for insert (§2.2). */
export const KEY_TYPE = { phone: 6, tag: 384, s5: 264 } as const;
export const KEY_BIT = { phone: 4, externalTag: 128 } as const;

// The fake's control plane (§6): moves physical state the API cannot (phones, programming, lock sync, logs).
import type { Clock } from "../../../src/drivers/key-system-driver";
import { packetOf } from "./iloq-fake-blacklist-routes";
import { isBlacklisted } from "./iloq-fake-checks";
import { copyRights } from "./iloq-fake-render";
import { fromLocalString, ianaZone, toLocalString } from "./iloq-fake-time";
import type { FakeLockLog, FakeTimeLimitSlot, IloqFakeState } from "./iloq-fake-types";

/** DeviceLogTypeMask bits (§2.5 Audit). */
export const LOG_MASK = {
  failed: 1,
  lockProgrammed: 2,
  success: 4,
  keyAccessed: 1024,
  fiveSeriesAccess: 2048,
};

export interface AppendLogInput {
  FLock_ID: string;
  FNKey_ID?: string | null;
  AccessTypeMask?: number;
  /** Event time at the lock (default now). */
  goingUtc?: Date;
  /** Arrival in the database (default now); earlier logs may arrive later (offline locks). */
  timestampUtc?: Date;
}

export class IloqFakeControl {
  constructor(
    private readonly state: IloqFakeState,
    private readonly clock: Clock,
    private readonly newId: () => string,
    private readonly onLog: (log: FakeLockLog) => void,
  ) {}

  private key(id: string) {
    const k = this.state.keys.get(id);
    if (!k) throw new Error(`fake: no key ${id}`);
    return k;
  }

  /** The S50 app fetched the ordered packet: state 1 → 2 (§6.1.7). */
  phoneFetched(keyId: string): void {
    const k = this.key(keyId);
    if (k.State === 1) k.State = 2;
  }

  /** The key (phone or physical via a programming device) acknowledged its packet: → 3, mode=2 updated. */
  keyProgrammed(keyId: string): void {
    const k = this.key(keyId);
    if (!k.packet) return;
    k.programmed = copyRights(k.packet);
    k.packet = null;
    k.State = 3;
    k.everProgrammed = true;
  }

  /** A lock learned the current blocklist; the packet counts as delivered once every lock has it [inf]. */
  lockSync(lockId?: string): void {
    for (const lock of this.state.locks) {
      if (lockId && lock.FLock_ID !== lockId) continue;
      lock.blocklistVersion = packetOf(this.state, lock.LockGroup_ID).SoftDataVersion;
    }
    for (const [group, packet] of this.state.packets) {
      const locks = this.state.locks.filter((l) => l.LockGroup_ID === group);
      if (locks.every((l) => l.blocklistVersion >= packet.SoftDataVersion)) packet.State = 3;
    }
  }

  /** An iLOQ Manager user changes a key's rights directly (e.g. adds a standard right) (§2.2). */
  managerEdit(keyId: string, securityAccessIds: string[]): void {
    const k = this.key(keyId);
    k.planned = { ...k.planned, securityAccessIds: [...securityAccessIds] };
    k.State = 0;
  }

  appendLog(input: AppendLogInput): FakeLockLog {
    const lock = this.state.locks.find((l) => l.FLock_ID === input.FLock_ID);
    if (!lock) throw new Error(`fake: no lock ${input.FLock_ID}`);
    const keyId = input.FNKey_ID ?? null;
    const now = this.clock.now();
    const log: FakeLockLog = {
      DeviceLog_ID: this.newId(),
      LockGroup_ID: lock.LockGroup_ID,
      AccessTypeMask: input.AccessTypeMask ?? this.accessOutcome(lock.FLock_ID, keyId, input.goingUtc ?? now),
      FLock_ID: lock.FLock_ID,
      FNKey_ID: keyId,
      Person_ID: keyId ? (this.state.keys.get(keyId)?.Person_ID ?? null) : null,
      goingUtc: input.goingUtc ?? now,
      timestampUtc: input.timestampUtc ?? now,
      ErrorCode: 0,
    };
    this.state.lockLogs.push(log);
    this.onLog(log);
    return log;
  }

  /**
   * What the lock decides with what it knows: the key's programmed rights, validity and weekly time
   * profiles (slots 2+, in the lock group's local time), and the
   * blocklist version the lock has synced (§6.1.8: a blocked key fails only on synced locks).
   */
  accessOutcome(lockId: string, keyId: string | null, at: Date): number {
    const key = keyId ? this.state.keys.get(keyId) : undefined;
    const lock = this.state.locks.find((l) => l.FLock_ID === lockId);
    if (!key || !lock || !key.programmed) return LOG_MASK.failed;
    const item = this.state.blacklist.find((b) => b.FNKey_ID === key.FNKey_ID);
    if (item && isBlacklisted(this.state, key.FNKey_ID) && item.BlacklistVersion > 0) {
      if (lock.blocklistVersion >= item.BlacklistVersion) return LOG_MASK.failed;
    }
    const zone = this.state.lockGroups.find(
      (g) => g.LockGroup_ID === lock.LockGroup_ID,
    )?.TimeZoneStandardName;
    for (const slot of key.programmed.timeLimitSlots) {
      const d = slot.LimitDateLg && zone ? fromLocalString(slot.LimitDateLg, zone) : null;
      if (slot.SlotNo === 0 && d && at < d) return LOG_MASK.failed;
      if (slot.SlotNo === 1 && d && at >= d) return LOG_MASK.failed;
    }
    if (zone && !insideTimeProfiles(key.programmed.timeLimitSlots, at, zone)) return LOG_MASK.failed;
    const opens = key.programmed.securityAccessIds.some((id) =>
      this.state.securityAccesses.find((s) => s.SecurityAccess_ID === id)?.lockIds.includes(lockId),
    );
    if (!opens) return LOG_MASK.failed;
    // Documented examples (§2.5): 12 = successful phone access, 2052 = successful 5 Series access.
    return (key.KeyTypeMask & 4) !== 0 ? 12 : LOG_MASK.success | LOG_MASK.fiveSeriesAccess;
  }

  expireAllSessions(): void {
    this.state.sessions.clear();
  }

  setMaintenance(on: boolean): void {
    this.state.maintenance = on;
  }

  setGetUrl(url: string | null): void {
    this.state.getUrlResult = url;
  }

  timeZoneOf(lockGroupId: string): string {
    const g = this.state.lockGroups.find((x) => x.LockGroup_ID === lockGroupId);
    return ianaZone(g?.TimeZoneStandardName ?? "UTC");
  }
}

/**
 * Weekly time profiles (§2.2 slots 2+): with any present, the key opens only inside one of their
 * TimeLimitData windows, local weekday bit (Monday = bit 0 [inf]) and time of day [StartTimeMS, EndTimeMS).
 */
function insideTimeProfiles(slots: FakeTimeLimitSlot[], at: Date, zone: string): boolean {
  const profiles = slots.filter((s) => s.SlotNo >= 2 && s.TimeLimitData.length > 0);
  if (profiles.length === 0) return true;
  const local = new Date(`${toLocalString(at, zone)}Z`);
  const dayBit = 1 << ((local.getUTCDay() + 6) % 7);
  const ms = local.getTime() % (24 * 3600_000);
  return profiles.some((p) =>
    p.TimeLimitData.some((d) => (d.WeekDayMask & dayBit) !== 0 && ms >= d.StartTimeMS && ms < d.EndTimeMS),
  );
}

// Lock-log intake by database time (key-systems.md §2.5 "Audit"): GetLockLogDataByTimestamp windows keyed
// on when a log reached iLOQ, so logs of offline locks that arrive days late are still picked up once.
import { DriverError } from "../../src/drivers/driver-error";
import type { DriverEvent, EventPage } from "../../src/drivers/key-system-driver";
import type { IloqOps } from "./iloq-key-state";
import { fromIloqLocal, fromIloqUtc } from "./iloq-time";
import type { IloqLockLogRow } from "./iloq-wire";

const MSG_CURSOR = "iLOQ event cursor is not valid";

/** DeviceLogTypeMask bits (§2.5): 1 failed; 4/1024/2048 access; 32768 key programming task. */
export function eventKind(mask: number): DriverEvent["kind"] {
  if (mask & 1) return "access_denied";
  if (mask & (4 | 1024 | 2048)) return "access_granted";
  if (mask & 32768) return "credential_programmed";
  return "other";
}

/** Cursor: the end of the last window plus the log ids already returned inside the overlap. */
interface Cursor {
  from: number;
  seen: Array<[string, number]>;
}

function decode(cursor: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Cursor;
    if (typeof c.from !== "number" || !Array.isArray(c.seen)) throw new Error("shape");
    return c;
  } catch (err) {
    throw new DriverError("permanent", MSG_CURSOR, { vendorSignal: "cursor", cause: err });
  }
}

const encode = (c: Cursor) => Buffer.from(JSON.stringify(c), "utf8").toString("base64url");

/** UTC without offset, with milliseconds so a window ends exactly where the next starts. */
const utcText = (ms: number) => new Date(ms).toISOString().slice(0, 23);

export function toDriverEvent(row: IloqLockLogRow, zone: string): DriverEvent {
  const occurred = fromIloqLocal(row.GoingDate, zone);
  const received = fromIloqUtc(row.TimestampUtc);
  return {
    id: `iloq:log:${row.DeviceLog_ID}`,
    occurredAt: (occurred ?? received ?? new Date(0)).toISOString(),
    receivedAt: (received ?? new Date(0)).toISOString(),
    kind: eventKind(row.AccessTypeMask),
    ...(row.FNKey_ID ? { credentialId: row.FNKey_ID } : {}),
    ...(row.FLock_ID ? { lockId: row.FLock_ID } : {}),
    ...(row.Person_ID ? { holderId: row.Person_ID } : {}),
  };
}

/**
 * Reads [from − overlap, now): the overlap catches logs committed with a database time just before
 * the previous window closed; ids already returned there are skipped, so nothing repeats or goes missing.
 */
export async function pullLockLogs(ops: IloqOps, cursor: string | null, zone: string): Promise<EventPage> {
  const now = ops.clock.now().getTime();
  const c = cursor ? decode(cursor) : { from: now - ops.options.eventsLookbackMs, seen: [] };
  const overlap = ops.options.eventsOverlapMs;
  // The end reaches 1 ms past now so a log stored in this very millisecond is not left for the next
  // pull; anything returned twice because of that is in `seen`.
  const body = { StartDateUtc: utcText(c.from - overlap), EndDateUtc: utcText(now + 1) };
  const res = await ops.client.call<{ LockLogs?: IloqLockLogRow[] }>(
    "POST",
    "LockLogs/GetLockLogDataByTimestamp",
    {
      body,
    },
  );
  const seen = new Set(c.seen.map(([id]) => id));
  const rows = (res?.LockLogs ?? []).filter((r) => !seen.has(r.DeviceLog_ID));
  const fresh: Array<[string, number]> = rows.map((r) => [
    r.DeviceLog_ID,
    fromIloqUtc(r.TimestampUtc)?.getTime() ?? now,
  ]);
  const keep = [...c.seen, ...fresh].filter(([, t]) => t >= now - overlap - 1000);
  return { events: rows.map((r) => toDriverEvent(r, zone)), nextCursor: encode({ from: now, seen: keep }) };
}

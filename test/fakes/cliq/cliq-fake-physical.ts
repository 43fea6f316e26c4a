// The physical world of the CLIQ fake, moved only by the control plane: a key visits a remote PD, a
// cylinder is programmed, a key is tried in a cylinder (key-systems.md §1.2, §1.3, §6.2 control plane).
import type { CliqFakeState } from "./cliq-fake-state";
import { CliqFakeError, type Key, type KeyAccess, type Schedule } from "./cliq-fake-types";

const DAY_MS = 86_400_000;

function snapshot(key: Key): KeyAccess {
  return structuredClone({
    accessProfileIds: key.accessProfileIds,
    cylinderAuthorisations: key.cylinderAuthorisations,
    validity: key.validity,
    scheduleId: key.scheduleId,
  });
}

function uploadKeyBuffer(state: CliqFakeState, keyId: string): number {
  const buffered = state.keyBuffers.get(keyId) ?? [];
  state.keyBuffers.set(keyId, []);
  for (const event of buffered) state.appendEvent(event);
  return buffered.length;
}

/**
 * Key inserted in a Wall/Mobile PD (or synced via the CLIQ Connect app): the pending remote update is
 * applied, the key is revalidated, and its audit trail is uploaded (§1.2 "latest audit trails can be
 * downloaded from the key … during remote update").
 */
export function keyInsertedInRemotePD(state: CliqFakeState, keyId: string) {
  const key = state.key(keyId);
  const now = state.nowIso();
  const update = state.pendingJobsForKey(keyId).filter((j) => j.kind === "key_remote_update");
  if (key.status === "handed_out" && update.length > 0) {
    for (const job of update) state.finishJob(job, "done");
    key.programmed = snapshot(key);
    key.lastProgrammedAt = now;
    key.pendingUpdate = null;
    state.appendEvent({
      kind: "key_updated",
      keyId,
      personId: key.holderId ?? undefined,
      occurredAt: now,
      source: "key_upload",
    });
  }
  if (key.status === "handed_out") key.revalidation.lastValidatedAt = now;
  const uploaded = uploadKeyBuffer(state, keyId);
  return { key, applied: update.length, uploaded };
}

/** A programming key runs every pending job of one cylinder: blocklist additions and normal-key access. */
export function cylinderProgrammed(state: CliqFakeState, cylinderId: string) {
  const cylinder = state.cylinder(cylinderId);
  const now = state.nowIso();
  cylinder.blocklist = [...new Set([...cylinder.blocklist, ...cylinder.pendingBlocklist])];
  cylinder.pendingBlocklist = [];
  cylinder.lastProgrammedAt = now;
  const jobs = [...state.jobs.values()].filter(
    (j) => j.kind === "cylinder_programming" && j.targetId === cylinderId && j.state === "pending",
  );
  for (const job of jobs) state.finishJob(job, "done");
  // A normal key's access lives in its cylinders: it is programmed once its last cylinder job is done.
  for (const keyId of new Set(jobs.map((j) => j.keyId))) {
    const key = state.keys.get(keyId);
    if (key?.keyType !== "normal" || key.status !== "handed_out") continue;
    if (state.pendingJobsForKey(keyId).length === 0) {
      key.programmed = snapshot(key);
      key.lastProgrammedAt = now;
      key.pendingUpdate = null;
    }
  }
  state.appendEvent({ kind: "cylinder_programmed", cylinderId, occurredAt: now, source: "system" });
  return { cylinder, jobsDone: jobs.length };
}

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** Weekday (1 = Monday) and "HH:MM" of an instant in a time zone. */
function localTime(at: Date, timeZone: string): { weekday: number; hhmm: string } {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return { weekday: WEEKDAYS.indexOf(part("weekday")) + 1, hhmm: `${part("hour")}:${part("minute")}` };
}

function insideSchedule(schedule: Schedule | undefined, at: Date): boolean {
  if (!schedule) return true;
  const { weekday, hhmm } = localTime(at, schedule.timeZone);
  return schedule.intervals.some((i) => i.weekday === weekday && i.start <= hhmm && hhmm < i.end);
}

/**
 * Authorisation = programmed access AND valid AND inside schedule AND not blocked in the cylinder
 * (CLIQ Go reseller guide §5.6, via key-systems.md §1.2); plus the revalidation interval.
 */
export function decideAccess(state: CliqFakeState, key: Key, cylinderId: string, at: Date): boolean {
  const cylinder = state.cylinder(cylinderId);
  const access = key.programmed;
  if (!access || cylinder.blocklist.includes(key.id)) return false;
  const v = access.validity;
  if (v.mode === "never") return false;
  if (v.mode === "between" && ((v.from && at < new Date(v.from)) || (v.to && at >= new Date(v.to))))
    return false;
  const r = key.revalidation;
  if (
    r.enabled &&
    (!r.lastValidatedAt || at.getTime() >= Date.parse(r.lastValidatedAt) + r.intervalDays * DAY_MS)
  ) {
    return false;
  }
  if (!insideSchedule(access.scheduleId ? state.schedules.get(access.scheduleId) : undefined, at))
    return false;
  return state.cylindersOf(access).includes(cylinderId);
}

/** Logs the attempt in the key's memory; it reaches CWM at the key's next PD visit (late upload). */
export function keyUsed(state: CliqFakeState, keyId: string, cylinderId: string, at?: string) {
  const key = state.key(keyId);
  const when = at ? new Date(at) : state.clock.now();
  if (Number.isNaN(when.getTime())) throw new CliqFakeError(400, "invalid_time", "at must be ISO 8601");
  const granted = decideAccess(state, key, cylinderId, when);
  const buffer = state.keyBuffers.get(keyId) ?? [];
  buffer.push({
    kind: granted ? "access_granted" : "access_denied",
    keyId,
    cylinderId,
    personId: key.holderId ?? undefined,
    occurredAt: when.toISOString(),
    source: "key_upload",
  });
  state.keyBuffers.set(keyId, buffer);
  return { granted };
}

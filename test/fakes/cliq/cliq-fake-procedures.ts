// The CWM key procedures of the fake: hand out, change access, hand in, report lost (key-systems.md §1.3,
// §6.2). Semantics are documented CWM concepts; status codes, error codes and job shapes are [inf].
import type { CliqFakeState } from "./cliq-fake-state";
import {
  type ApiUser,
  CliqFakeError,
  type Job,
  type Key,
  type KeyAccess,
  type Procedure,
  type Revalidation,
  type Validity,
} from "./cliq-fake-types";

export interface AccessInput {
  accessProfileIds: string[];
  validity: Validity;
  scheduleId: string | null;
}

export interface HandOutInput extends AccessInput {
  personId: string;
  revalidation?: Partial<Revalidation>;
}

export function requireProcedure(user: ApiUser, procedure: Procedure): void {
  if (!user.procedures.includes(procedure)) {
    throw new CliqFakeError(403, "procedure_not_permitted", "role does not permit this procedure");
  }
}

export function requireDomain(user: ApiUser, domainId: string): void {
  if (!user.domainIds.includes(domainId)) {
    throw new CliqFakeError(403, "domain_not_permitted", "resource is outside the caller's domains");
  }
}

/** 422 when a profile is unknown or outside the key's/caller's domain, or the list exceeds capacity. */
function checkAccess(state: CliqFakeState, user: ApiUser, key: Key, input: AccessInput): void {
  for (const id of input.accessProfileIds) {
    const profile = state.accessProfiles.get(id);
    if (!profile || profile.domainId !== key.domainId || !user.domainIds.includes(profile.domainId)) {
      throw new CliqFakeError(422, "profile_outside_domain", "access profile is not in the key's domain");
    }
  }
  if (input.scheduleId !== null && !state.schedules.has(input.scheduleId)) {
    throw new CliqFakeError(422, "unknown_schedule", "schedule does not exist");
  }
  const entries = input.accessProfileIds.length + key.cylinderAuthorisations.length;
  if (key.keyType !== "normal" && entries > key.accessListCapacity) {
    throw new CliqFakeError(422, "access_list_capacity", "access list exceeds the key's capacity");
  }
}

function supersedePending(state: CliqFakeState, key: Key): void {
  for (const job of state.pendingJobsForKey(key.id)) {
    if (job.kind === "key_remote_update") state.finishJob(job, "failed");
  }
}

/**
 * Writes the planned access and the jobs that will carry it to the doors: one remote update for
 * dynamic/CLIQ Connect keys (next PD visit or app sync), cylinder programming jobs for normal keys,
 * which have no access list (§1.2 Key kinds, §1.3 Change access).
 */
function planAccess(state: CliqFakeState, key: Key, input: AccessInput): Job[] {
  const before: KeyAccess = {
    accessProfileIds: key.accessProfileIds,
    cylinderAuthorisations: key.cylinderAuthorisations,
    validity: key.validity,
    scheduleId: key.scheduleId,
  };
  key.accessProfileIds = [...input.accessProfileIds];
  key.validity = { ...input.validity };
  key.scheduleId = input.scheduleId;
  supersedePending(state, key);
  if (key.keyType === "normal") {
    const cylinders = new Set([...state.cylindersOf(before), ...state.cylindersOf(key)]);
    const jobs = [...cylinders].map((c) => state.createJob("cylinder_programming", c, key.id, "key access"));
    if (jobs.length > 0) {
      key.pendingUpdate = { jobId: jobs[0]!.id, createdAt: state.nowIso() };
      return jobs;
    }
  }
  const job = state.createJob("key_remote_update", key.id, key.id, "access profiles, validity, schedule");
  key.pendingUpdate = { jobId: job.id, createdAt: job.createdAt };
  return [job];
}

export function handOut(state: CliqFakeState, user: ApiUser, keyId: string, input: HandOutInput) {
  requireProcedure(user, "hand_out");
  const key = state.key(keyId);
  requireDomain(user, key.domainId);
  const person = state.person(input.personId);
  if (key.status !== "in_stock") throw new CliqFakeError(409, "key_not_in_stock", "key is not in stock");
  checkAccess(state, user, key, input);
  key.status = "handed_out";
  key.holderId = person.id;
  key.revalidation = { ...key.revalidation, ...input.revalidation, lastValidatedAt: undefined };
  const jobs = planAccess(state, key, input);
  state.appendEvent({
    kind: "hand_out",
    keyId,
    personId: person.id,
    occurredAt: state.nowIso(),
    source: "system",
  });
  return { key, job: jobs[0]!, jobs };
}

export function changeAccess(state: CliqFakeState, user: ApiUser, keyId: string, input: AccessInput) {
  requireProcedure(user, "change_access");
  const key = state.key(keyId);
  requireDomain(user, key.domainId);
  if (key.status !== "handed_out")
    throw new CliqFakeError(409, "key_not_handed_out", "key is not handed out");
  checkAccess(state, user, key, input);
  if (key.keyType === "normal" && state.behaviour.normalKeyAccess === "reject") {
    throw new CliqFakeError(
      422,
      "requires_cylinder_programming",
      "normal key: change requires cylinder programming",
    );
  }
  const jobs = planAccess(state, key, input);
  return { status: key.keyType === "normal" ? 202 : 200, body: { key, job: jobs[0]!, jobs } };
}

/** The physical key is back at the desk: the record is freed at once (§1.3 Return / offboard). */
export function handIn(state: CliqFakeState, user: ApiUser, keyId: string) {
  requireProcedure(user, "hand_in");
  const key = state.key(keyId);
  requireDomain(user, key.domainId);
  if (key.status !== "handed_out")
    throw new CliqFakeError(409, "key_not_handed_out", "key is not handed out");
  const personId = key.holderId ?? undefined;
  for (const job of state.pendingJobsForKey(key.id)) state.finishJob(job, "failed");
  const empty: KeyAccess = {
    accessProfileIds: [],
    cylinderAuthorisations: [],
    validity: { mode: "never" },
    scheduleId: null,
  };
  Object.assign(key, empty, { status: state.behaviour.handInStatus, holderId: null, pendingUpdate: null });
  key.programmed = structuredClone(empty);
  state.appendEvent({ kind: "hand_in", keyId, personId, occurredAt: state.nowIso(), source: "system" });
  return { key };
}

/**
 * Lost/broken/stolen: the key record is blocked and every cylinder it could open gets a programming
 * job that adds it to the cylinder blocklist; until those run, exposure is bounded by validity and
 * revalidation (§1.3 Lost / stolen / broken).
 */
export function reportLost(state: CliqFakeState, user: ApiUser, keyId: string, reason: string) {
  requireProcedure(user, "report_lost");
  const key = state.key(keyId);
  requireDomain(user, key.domainId);
  if (!["lost", "broken", "stolen"].includes(reason)) {
    throw new CliqFakeError(400, "invalid_reason", "reason must be lost, broken or stolen");
  }
  if (key.status !== "handed_out")
    throw new CliqFakeError(409, "key_not_handed_out", "key is not handed out");
  supersedePending(state, key);
  key.status = reason === "broken" ? "broken" : "lost";
  key.pendingUpdate = null;
  const reach = new Set([
    ...state.cylindersOf(key),
    ...(key.programmed ? state.cylindersOf(key.programmed) : []),
  ]);
  const jobs: Job[] = [];
  for (const cylinderId of [...reach].sort()) {
    const cylinder = state.cylinder(cylinderId);
    if (cylinder.blocklist.length + cylinder.pendingBlocklist.length >= 3000) {
      state.warnings.push("cylinder blocklist full");
      continue;
    }
    if (!cylinder.pendingBlocklist.includes(key.id)) cylinder.pendingBlocklist.push(key.id);
    jobs.push(state.createJob("cylinder_programming", cylinderId, key.id, "blocklist key"));
  }
  const exposureUntil = state.exposureUntil(key) ?? null;
  state.appendEvent({
    kind: "reported_lost",
    keyId,
    personId: key.holderId ?? undefined,
    occurredAt: state.nowIso(),
    source: "system",
  });
  return { key, jobs, exposureUntil };
}

// The CLIQ fake's database: resources, jobs, the event log and the helpers procedures share (§6.2 [inf]).
import type { Clock } from "../../../src/drivers/key-system-driver";
import {
  type AccessProfile,
  type ApiUser,
  type CliqEvent,
  type CliqFakeBehaviour,
  CliqFakeError,
  type CliqSeed,
  type Cylinder,
  type CylinderGroup,
  DEFAULT_BEHAVIOUR,
  type Job,
  type JobKind,
  type Key,
  type KeyAccess,
  type Person,
  type Schedule,
} from "./cliq-fake-types";

const DAY_MS = 86_400_000;

/** A clock the control plane can move forward (`advanceClock`). */
export class FakeClock implements Clock {
  private offsetMs = 0;
  constructor(private readonly base: Clock) {}
  now(): Date {
    return new Date(this.base.now().getTime() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export class CliqFakeState {
  readonly persons = new Map<string, Person>();
  readonly keys = new Map<string, Key>();
  readonly cylinders = new Map<string, Cylinder>();
  readonly cylinderGroups = new Map<string, CylinderGroup>();
  readonly accessProfiles = new Map<string, AccessProfile>();
  readonly schedules = new Map<string, Schedule>();
  readonly jobs = new Map<string, Job>();
  readonly apiUsers = new Map<string, ApiUser>();
  readonly events: CliqEvent[] = [];
  /** Events recorded in a key's memory, uploaded at its next remote PD visit (§1.2 audit trail). */
  readonly keyBuffers = new Map<string, Array<Omit<CliqEvent, "id" | "seq" | "receivedAt">>>();
  readonly warnings: string[] = [];
  private counter = 0;
  private seq = 0;

  constructor(
    readonly clock: FakeClock,
    readonly behaviour: CliqFakeBehaviour = { ...DEFAULT_BEHAVIOUR },
  ) {}

  nowIso(): string {
    return this.clock.now().toISOString();
  }

  nextId(prefix: string): string {
    this.counter += 1;
    return `${prefix}-${String(this.counter).padStart(5, "0")}`;
  }

  seed(seed: CliqSeed): void {
    for (const p of seed.persons ?? []) this.persons.set(p.id, structuredClone(p));
    for (const k of seed.keys ?? []) this.keys.set(k.id, structuredClone(k));
    for (const c of seed.cylinders ?? []) this.cylinders.set(c.id, structuredClone(c));
    for (const g of seed.cylinderGroups ?? []) this.cylinderGroups.set(g.id, structuredClone(g));
    for (const a of seed.accessProfiles ?? []) this.accessProfiles.set(a.id, structuredClone(a));
    for (const s of seed.schedules ?? []) this.schedules.set(s.id, structuredClone(s));
    for (const [cn, u] of Object.entries(seed.apiUsers ?? {})) this.apiUsers.set(cn, structuredClone(u));
  }

  person(id: string): Person {
    const p = this.persons.get(id);
    if (!p || p.deleted) throw new CliqFakeError(404, "person_not_found", "person not found");
    return p;
  }

  key(id: string): Key {
    const k = this.keys.get(id);
    if (!k) throw new CliqFakeError(404, "key_not_found", "key not found");
    return k;
  }

  cylinder(id: string): Cylinder {
    const c = this.cylinders.get(id);
    if (!c) throw new CliqFakeError(404, "cylinder_not_found", "cylinder not found");
    return c;
  }

  /** Cylinders an access list opens: profile cylinders, their groups' cylinders, direct authorisations. */
  cylindersOf(access: KeyAccess): string[] {
    const out = new Set<string>(access.cylinderAuthorisations);
    for (const profileId of access.accessProfileIds) {
      const profile = this.accessProfiles.get(profileId);
      if (!profile) continue;
      for (const c of profile.cylinderIds) out.add(c);
      for (const cyl of this.cylinders.values()) {
        if (cyl.groupId && profile.cylinderGroupIds.includes(cyl.groupId)) out.add(cyl.id);
      }
    }
    return [...out].sort();
  }

  createJob(kind: JobKind, targetId: string, keyId: string, payloadSummary: string): Job {
    const now = this.nowIso();
    const job: Job = {
      id: this.nextId("job"),
      kind,
      targetId,
      keyId,
      payloadSummary,
      state: "pending",
      createdAt: now,
      updatedAt: now,
    };
    this.jobs.set(job.id, job);
    const pending = [...this.jobs.values()].filter((j) => j.state === "pending").length;
    if (pending > this.behaviour.jobsPerProgrammingKeyWarn) this.warnings.push("more than 30 pending jobs");
    return job;
  }

  finishJob(job: Job, state: "done" | "failed"): void {
    job.state = state;
    job.updatedAt = this.nowIso();
  }

  pendingJobsForKey(keyId: string): Job[] {
    return [...this.jobs.values()].filter((j) => j.keyId === keyId && j.state === "pending");
  }

  appendEvent(event: Omit<CliqEvent, "id" | "seq" | "receivedAt">): CliqEvent {
    this.seq += 1;
    const full: CliqEvent = { ...event, id: `evt-${this.seq}`, seq: this.seq, receivedAt: this.nowIso() };
    this.events.push(full);
    return full;
  }

  /**
   * Latest time a lost key may still open a door: min(validity end, lastValidatedAt + revalidation
   * interval) of what the key carries physically (§1.3 "exposure is limited by key validity and
   * revalidation expiry"). Undefined when neither bounds it.
   */
  exposureUntil(key: Key): string | undefined {
    const access = key.programmed;
    if (!access || access.validity.mode === "never") return this.nowIso();
    const bounds: number[] = [];
    if (access.validity.mode === "between" && access.validity.to) bounds.push(Date.parse(access.validity.to));
    if (key.revalidation.enabled && key.revalidation.lastValidatedAt) {
      bounds.push(Date.parse(key.revalidation.lastValidatedAt) + key.revalidation.intervalDays * DAY_MS);
    }
    if (bounds.length === 0) return undefined;
    return new Date(Math.max(Math.min(...bounds), this.clock.now().getTime())).toISOString();
  }
}

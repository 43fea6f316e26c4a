// The ONLY file that knows the CLIQ wire format. Every path, query parameter, field name and status code
// here is the bridge-owned "CWM-like v0" contract of key-systems.md §6.2 and is [inf]: ASSA ABLOY publishes
// no integration API (§1.1). When their specification arrives, rewrite this file (and the signal table in
// classify-cliq-error.ts); the driver logic speaks only the records of cwm-records.ts.
import { z } from "zod";
import type { Clock } from "../../src/drivers/key-system-driver";
import { DriverError } from "../../src/drivers/driver-error";
import { classifyCliqHttp } from "./classify-cliq-error";
import type { CliqResponse, CliqTransport } from "./cliq-transport";
import type {
  CliqAccess,
  CliqBlock,
  CliqChange,
  CliqEventRecord,
  CliqKey,
  CliqPerson,
  CliqPersonInput,
  CliqProfile,
  CliqSchedule,
} from "./cwm-records";

const validity = z.object({
  mode: z.enum(["always", "never", "between"]),
  from: z.string().optional(),
  to: z.string().optional(),
});
const access = z.object({
  accessProfileIds: z.array(z.string()),
  cylinderAuthorisations: z.array(z.string()).default([]),
  validity,
  scheduleId: z.string().nullable().default(null),
});
const key = access.extend({
  id: z.string(),
  serial: z.string(),
  keyType: z.enum(["normal", "dynamic", "connect"]),
  status: z.enum(["in_stock", "handed_out", "lost", "broken", "returned"]),
  holderId: z.string().nullable(),
  revalidation: z.object({
    enabled: z.boolean(),
    intervalDays: z.number(),
    lastValidatedAt: z.string().optional(),
  }),
  pendingUpdate: z.object({ jobId: z.string() }).nullable(),
  domainId: z.string(),
  programmed: access.nullable().default(null),
});
const person = z.object({
  id: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string().optional(),
  externalLinks: z.array(z.object({ system: z.string(), value: z.string() })),
  domainIds: z.array(z.string()),
});
const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
const job = z.object({ id: z.string(), kind: z.enum(["key_remote_update", "cylinder_programming"]) });
const profile = z.object({ id: z.string(), name: z.string(), domainId: z.string() });
const schedule = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  intervals: z.array(z.object({ weekday: z.number().int(), start: z.string(), end: z.string() })),
});
const event = z.object({
  id: z.string(),
  seq: z.number().int(),
  occurredAt: z.string(),
  receivedAt: z.string(),
  kind: z.string(),
  keyId: z.string().optional(),
  cylinderId: z.string().optional(),
  personId: z.string().optional(),
});

function toAccess(a: z.infer<typeof access>): CliqAccess {
  return {
    profileIds: [...a.accessProfileIds],
    cylinderIds: [...a.cylinderAuthorisations],
    validity: { ...a.validity },
    scheduleId: a.scheduleId,
  };
}

export function toCliqKey(k: z.infer<typeof key>): CliqKey {
  return {
    id: k.id,
    serial: k.serial,
    kind: k.keyType,
    status: k.status,
    holderId: k.holderId,
    planned: toAccess(k),
    programmed: k.programmed ? toAccess(k.programmed) : null,
    updatePending: k.pendingUpdate !== null,
    revalidation: { ...k.revalidation },
    domainId: k.domainId,
  };
}

/** The `{accessProfileIds, validity, scheduleId}` body of hand-out and PUT access (§6.2). */
export function toAccessBody(a: CliqAccess): Record<string, unknown> {
  return { accessProfileIds: a.profileIds, validity: a.validity, scheduleId: a.scheduleId };
}

export function toPersonBody(p: CliqPersonInput, linkSystem: string): Record<string, unknown> {
  return {
    type: "employee",
    firstName: p.firstName,
    lastName: p.lastName,
    email: p.email,
    // External links are a documented CWM person concept (CWM manual v6.1 "Employees/Visitors"); that the
    // API can set and search them is open question 7 of §1.6.
    externalLinks: [{ system: linkSystem, value: p.externalId }],
    domainIds: [p.domainId],
  };
}

export function toCliqEvent(e: z.infer<typeof event>): CliqEventRecord {
  return { ...e };
}

export class CwmAdapter {
  constructor(
    private readonly http: CliqTransport,
    private readonly clock: Clock,
    private readonly linkSystem: string,
  ) {}

  /** Sends a request; statuses in `accept` are returned, every other status leaves as a DriverError. */
  private async call(method: string, path: string, body?: unknown, accept = [200, 201, 202, 204]) {
    const res = await this.http.request(method, path, body);
    if (accept.includes(res.status)) return res;
    throw this.fail(res);
  }

  private fail(res: CliqResponse): DriverError {
    const code = (res.body as { code?: unknown } | null)?.code;
    return classifyCliqHttp(
      { status: res.status, code: typeof code === "string" ? code : undefined, retryAfter: res.retryAfter },
      this.clock.now(),
    );
  }

  private parse<T extends z.ZodType>(schema: T, res: CliqResponse): z.infer<T> {
    const parsed = schema.safeParse(res.body);
    if (!parsed.success) {
      throw new DriverError("permanent", "CLIQ answer does not match the expected shape", {
        vendorSignal: `HTTP ${res.status} unexpected body`,
      });
    }
    return parsed.data;
  }

  private toPerson(p: z.infer<typeof person>): CliqPerson {
    const link = p.externalLinks.find((l) => l.system === this.linkSystem);
    return { ...p, externalId: link?.value ?? null };
  }

  async version(): Promise<string> {
    const res = await this.call("GET", "info");
    return this.parse(z.object({ version: z.string() }), res).version;
  }

  async findPersonByExternalId(externalId: string): Promise<CliqPerson | null> {
    const q = encodeURIComponent(`${this.linkSystem}:${externalId}`);
    const res = await this.call("GET", `persons?externalLink=${q}`);
    const found = this.parse(items(person), res).items[0];
    return found ? this.toPerson(found) : null;
  }

  async createPerson(input: CliqPersonInput): Promise<CliqPerson> {
    const res = await this.call("POST", "persons", toPersonBody(input, this.linkSystem));
    return this.toPerson(this.parse(person, res));
  }

  async updatePerson(id: string, input: CliqPersonInput): Promise<CliqPerson> {
    const res = await this.call(
      "PUT",
      `persons/${encodeURIComponent(id)}`,
      toPersonBody(input, this.linkSystem),
    );
    return this.toPerson(this.parse(person, res));
  }

  /** A person by id; null when CWM does not know it or it was deleted (404). */
  async person(id: string): Promise<CliqPerson | null> {
    const res = await this.call("GET", `persons/${encodeURIComponent(id)}`, undefined, [200, 404]);
    return res.status === 404 ? null : this.toPerson(this.parse(person, res));
  }

  /** DELETE person; 404 means it is already gone (§5: NotFound counts as success for delete). */
  async deletePerson(id: string): Promise<boolean> {
    const res = await this.call("DELETE", `persons/${encodeURIComponent(id)}`, undefined, [200, 204, 404]);
    return res.status !== 404;
  }

  async keysOfHolder(holderId: string): Promise<CliqKey[]> {
    const res = await this.call("GET", `keys?holderId=${encodeURIComponent(holderId)}`);
    return this.parse(items(key), res).items.map(toCliqKey);
  }

  async keysInStock(domainId: string): Promise<CliqKey[]> {
    const res = await this.call("GET", `keys?status=in_stock&domainId=${encodeURIComponent(domainId)}`);
    return this.parse(items(key), res).items.map(toCliqKey);
  }

  /** Keys with an engraved serial in a domain, whatever their status. */
  async keysBySerial(domainId: string, serial: string): Promise<CliqKey[]> {
    const q = `serial=${encodeURIComponent(serial)}&domainId=${encodeURIComponent(domainId)}`;
    const res = await this.call("GET", `keys?${q}`);
    return this.parse(items(key), res).items.map(toCliqKey);
  }

  /** A key by id; null when CWM does not know it (404). */
  async key(id: string): Promise<CliqKey | null> {
    const res = await this.call("GET", `keys/${encodeURIComponent(id)}`, undefined, [200, 404]);
    return res.status === 404 ? null : toCliqKey(this.parse(key, res));
  }

  async handOut(
    keyId: string,
    holderId: string,
    a: CliqAccess,
    revalidationDays?: number,
  ): Promise<CliqChange> {
    const revalidation = revalidationDays ? { enabled: true, intervalDays: revalidationDays } : undefined;
    const body = { personId: holderId, ...toAccessBody(a), revalidation };
    const res = await this.call("POST", `keys/${encodeURIComponent(keyId)}/hand-out`, body);
    return this.change(res);
  }

  /** 200 + one key_remote_update job (dynamic/Connect keys) or 202 + cylinder_programming jobs (normal keys). */
  async changeAccess(keyId: string, a: CliqAccess): Promise<CliqChange> {
    const res = await this.call("PUT", `keys/${encodeURIComponent(keyId)}/access`, toAccessBody(a));
    return this.change(res);
  }

  private change(res: CliqResponse): CliqChange {
    const parsed = this.parse(z.object({ key, jobs: z.array(job) }), res);
    const cylinderJobs = parsed.jobs.filter((j) => j.kind === "cylinder_programming").length;
    return {
      key: toCliqKey(parsed.key),
      waitsFor: cylinderJobs > 0 ? "cylinders" : "key",
      jobCount: parsed.jobs.length,
    };
  }

  async handIn(keyId: string): Promise<CliqKey> {
    const res = await this.call("POST", `keys/${encodeURIComponent(keyId)}/hand-in`, {});
    return toCliqKey(this.parse(z.object({ key }), res).key);
  }

  async reportLost(keyId: string, reason: "lost" | "stolen" | "broken"): Promise<CliqBlock> {
    const res = await this.call("POST", `keys/${encodeURIComponent(keyId)}/report-lost`, { reason });
    const parsed = this.parse(
      z.object({ key, jobs: z.array(job), exposureUntil: z.string().nullable() }),
      res,
    );
    return {
      key: toCliqKey(parsed.key),
      cylinderJobs: parsed.jobs.length,
      exposureUntil: parsed.exposureUntil,
    };
  }

  /** Cylinder programming jobs still open for a key (how a blocklist's propagation is tracked, §1.3). */
  async pendingCylinderJobs(keyId: string): Promise<number> {
    const res = await this.call("GET", `jobs?keyId=${encodeURIComponent(keyId)}&state=pending`);
    return this.parse(items(job), res).items.filter((j) => j.kind === "cylinder_programming").length;
  }

  /** Schedule templates (§1.2); listing them and creating one through the API is [inf]. */
  async schedules(): Promise<CliqSchedule[]> {
    const res = await this.call("GET", "schedules");
    return this.parse(items(schedule), res).items;
  }

  async createSchedule(input: Omit<CliqSchedule, "id">): Promise<CliqSchedule> {
    const res = await this.call("POST", "schedules", input);
    return this.parse(schedule, res);
  }

  async profiles(domainId: string): Promise<CliqProfile[]> {
    const res = await this.call("GET", `accessProfiles?domainId=${encodeURIComponent(domainId)}`);
    return this.parse(items(profile), res).items;
  }

  /** Events after a sequence number; late uploads get a new seq but keep their old occurredAt (§6.2). */
  async events(after: number, limit: number): Promise<{ events: CliqEventRecord[]; lastSeq: number }> {
    const res = await this.call("GET", `events?after=${after}&limit=${limit}`);
    const parsed = this.parse(z.object({ items: z.array(event), lastSeq: z.number().int() }), res);
    return { events: parsed.items.map(toCliqEvent), lastSeq: parsed.lastSeq };
  }
}

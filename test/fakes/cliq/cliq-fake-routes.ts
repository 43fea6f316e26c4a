// The vendor surface of the "CWM-like v0" fake: every path, query and body shape here is [inf] (no public
// CWM integration API exists, key-systems.md §1.1); the resources and procedures follow §6.2.
import { type Request, type Response, Router } from "express";
import {
  changeAccess,
  handIn,
  handOut,
  reportLost,
  requireDomain,
  requireProcedure,
} from "./cliq-fake-procedures";
import type { CliqFakeState } from "./cliq-fake-state";
import { type ApiUser, CliqFakeError, type Person, type Schedule, type Validity } from "./cliq-fake-types";

export const CWM_BASE_PATH = "/cwm/api/v0";

function user(res: Response): ApiUser {
  return res.locals.apiUser as ApiUser;
}

function param(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === "string" ? value : "";
}

function query(req: Request, name: string): string | undefined {
  const value = req.query[name];
  return typeof value === "string" ? value : undefined;
}

function bodyOf(req: Request): Record<string, unknown> {
  const b: unknown = req.body;
  if (typeof b !== "object" || b === null || Array.isArray(b)) {
    throw new CliqFakeError(400, "invalid_body", "body must be a JSON object");
  }
  return b as Record<string, unknown>;
}

function stringList(value: unknown, field: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
    throw new CliqFakeError(400, "invalid_body", `${field} must be a list of strings`);
  }
  return value as string[];
}

function personFields(state: CliqFakeState, u: ApiUser, b: Record<string, unknown>) {
  if (typeof b.firstName !== "string" || typeof b.lastName !== "string") {
    throw new CliqFakeError(400, "invalid_body", "firstName and lastName are required");
  }
  const domainIds = stringList(b.domainIds, "domainIds");
  for (const d of domainIds) requireDomain(u, d);
  const links = Array.isArray(b.externalLinks) ? (b.externalLinks as Person["externalLinks"]) : [];
  for (const link of links) {
    const owner = [...state.persons.values()].find(
      (p) => !p.deleted && p.externalLinks.some((l) => l.system === link.system && l.value === link.value),
    );
    if (owner && owner.id !== b.id)
      throw new CliqFakeError(409, "external_link_taken", "external link in use");
  }
  return {
    type: b.type === "visitor" ? ("visitor" as const) : ("employee" as const),
    firstName: b.firstName,
    lastName: b.lastName,
    email: typeof b.email === "string" ? b.email : undefined,
    externalLinks: links.map((l) => ({ system: String(l.system), value: String(l.value) })),
    tags: stringList(b.tags, "tags"),
    domainIds,
  };
}

function accessInput(b: Record<string, unknown>) {
  const validity = (b.validity ?? { mode: "always" }) as Validity;
  if (!["always", "never", "between"].includes(String(validity.mode))) {
    throw new CliqFakeError(400, "invalid_body", "validity.mode must be always, never or between");
  }
  return {
    accessProfileIds: stringList(b.accessProfileIds, "accessProfileIds"),
    validity: { mode: validity.mode, from: validity.from, to: validity.to },
    scheduleId: typeof b.scheduleId === "string" ? b.scheduleId : null,
  };
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

function validTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A schedule template's fields: name, IANA zone and weekly intervals, each start before its end [inf]. */
function scheduleFields(b: Record<string, unknown>): Omit<Schedule, "id"> {
  const { name, timeZone, intervals } = b;
  if (typeof name !== "string" || name === "")
    throw new CliqFakeError(400, "invalid_body", "name is required");
  if (typeof timeZone !== "string" || !validTimeZone(timeZone))
    throw new CliqFakeError(400, "invalid_body", "timeZone must be an IANA zone");
  if (!Array.isArray(intervals) || intervals.length === 0)
    throw new CliqFakeError(400, "invalid_body", "intervals must be a non-empty list");
  const parsed = intervals.map((i: Record<string, unknown>) => {
    const ok =
      Number.isInteger(i?.weekday) &&
      (i.weekday as number) >= 1 &&
      (i.weekday as number) <= 7 &&
      typeof i.start === "string" &&
      typeof i.end === "string" &&
      HHMM.test(i.start) &&
      HHMM.test(i.end) &&
      i.start < i.end;
    if (!ok) throw new CliqFakeError(400, "invalid_body", "interval needs weekday 1-7 and HH:MM start < end");
    return { weekday: i.weekday as number, start: i.start as string, end: i.end as string };
  });
  return { name, timeZone, intervals: parsed };
}

export function cwmRoutes(state: CliqFakeState): Router {
  const r = Router();
  const list = <T>(items: Iterable<T>) => ({ items: [...items] });
  r.use((_req, res, next) => {
    requireProcedure(user(res), "read");
    next();
  });

  r.get("/info", (_req, res) => {
    res.json({ product: "CLIQ Web Manager (keybridge fake)", apiVersion: "v0", version: "6.1-fake" });
  });

  r.get("/persons", (req, res) => {
    const link = query(req, "externalLink");
    const [system, ...rest] = (link ?? "").split(":");
    const value = rest.join(":");
    const found = [...state.persons.values()].filter(
      (p) => !p.deleted && (!link || p.externalLinks.some((l) => l.system === system && l.value === value)),
    );
    res.json(list(found));
  });
  r.get("/persons/:id", (req, res) => {
    res.json(state.person(param(req, "id")));
  });
  r.post("/persons", (req, res) => {
    requireProcedure(user(res), "manage_persons");
    const person: Person = {
      id: state.nextId("per"),
      deleted: false,
      ...personFields(state, user(res), bodyOf(req)),
    };
    state.persons.set(person.id, person);
    res.status(201).json(person);
  });
  r.put("/persons/:id", (req, res) => {
    requireProcedure(user(res), "manage_persons");
    const person = state.person(param(req, "id"));
    Object.assign(person, personFields(state, user(res), { ...bodyOf(req), id: person.id }));
    res.json(person);
  });
  r.delete("/persons/:id", (req, res) => {
    requireProcedure(user(res), "manage_persons");
    const person = state.person(param(req, "id"));
    const holds = [...state.keys.values()].some((k) => k.holderId === person.id && k.status === "handed_out");
    if (holds) throw new CliqFakeError(409, "person_has_keys", "person still holds handed-out keys");
    person.deleted = true;
    res.status(204).end();
  });

  r.get("/keys", (req, res) => {
    const f = {
      holderId: query(req, "holderId"),
      status: query(req, "status"),
      serial: query(req, "serial"),
    };
    const domainId = query(req, "domainId");
    const found = [...state.keys.values()].filter(
      (k) =>
        (!f.holderId || k.holderId === f.holderId) &&
        (!f.status || k.status === f.status) &&
        (!f.serial || k.serial === f.serial) &&
        (!domainId || k.domainId === domainId) &&
        user(res).domainIds.includes(k.domainId),
    );
    res.json(list(found));
  });
  r.get("/keys/:id", (req, res) => {
    res.json(state.key(param(req, "id")));
  });
  r.post("/keys/:id/hand-out", (req, res) => {
    const b = bodyOf(req);
    if (typeof b.personId !== "string") throw new CliqFakeError(400, "invalid_body", "personId is required");
    const input = {
      ...accessInput(b),
      personId: b.personId,
      revalidation: b.revalidation as object | undefined,
    };
    res.json(handOut(state, user(res), param(req, "id"), input));
  });
  r.put("/keys/:id/access", (req, res) => {
    const out = changeAccess(state, user(res), param(req, "id"), accessInput(bodyOf(req)));
    res.status(out.status).json(out.body);
  });
  r.post("/keys/:id/hand-in", (req, res) => {
    res.json(handIn(state, user(res), param(req, "id")));
  });
  r.post("/keys/:id/report-lost", (req, res) => {
    res.json(reportLost(state, user(res), param(req, "id"), String(bodyOf(req).reason ?? "lost")));
  });

  r.get("/cylinders", (_req, res) => res.json(list(state.cylinders.values())));
  r.get("/cylinderGroups", (_req, res) => res.json(list(state.cylinderGroups.values())));
  r.get("/schedules", (_req, res) => res.json(list(state.schedules.values())));
  r.get("/schedules/:id", (req, res) => {
    const found = state.schedules.get(param(req, "id"));
    if (!found) throw new CliqFakeError(404, "schedule_not_found", "schedule not found");
    res.json(found);
  });
  r.post("/schedules", (req, res) => {
    requireProcedure(user(res), "change_access");
    const schedule = { id: state.nextId("sch"), ...scheduleFields(bodyOf(req)) };
    if ([...state.schedules.values()].some((s) => s.name === schedule.name))
      throw new CliqFakeError(409, "schedule_name_taken", "a schedule with this name exists");
    state.schedules.set(schedule.id, schedule);
    res.status(201).json(schedule);
  });
  r.get("/accessProfiles", (req, res) => {
    const domainId = query(req, "domainId");
    res.json(list([...state.accessProfiles.values()].filter((a) => !domainId || a.domainId === domainId)));
  });
  r.get("/jobs", (req, res) => {
    const keyId = query(req, "keyId");
    const jobState = query(req, "state");
    const found = [...state.jobs.values()].filter(
      (j) => (!keyId || j.keyId === keyId) && (!jobState || j.state === jobState),
    );
    res.json(list(found));
  });
  r.get("/events", (req, res) => {
    const after = Number(query(req, "after") ?? 0);
    const limit = Math.min(Number(query(req, "limit") ?? state.behaviour.defaultEventLimit), 500);
    if (!Number.isInteger(after) || !Number.isInteger(limit) || limit < 1) {
      throw new CliqFakeError(400, "invalid_query", "after and limit must be integers");
    }
    const items = state.events.filter((e) => e.seq > after).slice(0, limit);
    res.json({ items, lastSeq: items.at(-1)?.seq ?? after });
  });
  return r;
}

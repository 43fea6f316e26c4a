// Person endpoints of the fake (§2.2 Person, §2.3): lookup by ExternalPersonId, integrator-chosen ids.
import { canDeletePerson } from "./iloq-fake-checks";
import {
  badRequest,
  bodyObject,
  type FakeRoute,
  invalidValue,
  ok,
  type RouteContext,
  str,
} from "./iloq-fake-route";
import { renderKey } from "./iloq-fake-render";
import type { FakePerson } from "./iloq-fake-types";

export function renderPerson(p: FakePerson) {
  const { LockGroup_ID: _g, zoneIds: _z, ...wire } = p;
  return { ...wire, Phone2: "", Phone3: "", Address: "", ExternalCanEdit: true };
}

function findPerson(ctx: RouteContext): FakePerson | null {
  const p = ctx.state.persons.get(ctx.params.id ?? "");
  return p && p.LockGroup_ID === ctx.lockGroup.LockGroup_ID ? p : null;
}

function readPerson(raw: unknown, base: FakePerson): FakePerson {
  const p = bodyObject(raw);
  const text = (k: string, fallback: string) => (typeof p[k] === "string" ? (p[k] as string) : fallback);
  return {
    ...base,
    ExternalPersonId: text("ExternalPersonId", base.ExternalPersonId),
    PersonCode: text("PersonCode", base.PersonCode),
    FirstName: text("FirstName", base.FirstName),
    LastName: text("LastName", base.LastName),
    Description: text("Description", base.Description),
    eMail: text("eMail", base.eMail),
    Phone1: text("Phone1", base.Phone1),
    EmploymentEndDate: str(p.EmploymentEndDate) ?? null,
  };
}

export const personRoutes: FakeRoute[] = [
  {
    method: "GET",
    path: "Persons/GetByExternalPersonIds",
    access: "lockgroup",
    handle: (ctx) => {
      const wanted = new Set(ctx.query.getAll("externalPersonIds"));
      const found = [...ctx.state.persons.values()].filter(
        (p) => p.LockGroup_ID === ctx.lockGroup.LockGroup_ID && wanted.has(p.ExternalPersonId),
      );
      return ok(found.map(renderPerson));
    },
  },
  {
    method: "GET",
    path: "Persons/{id}",
    access: "lockgroup",
    handle: (ctx) => {
      const p = findPerson(ctx);
      return p ? ok(renderPerson(p)) : invalidValue(ctx, "Person_ID");
    },
  },
  {
    method: "POST",
    path: "Persons",
    access: "lockgroup",
    handle: (ctx) => {
      const b = bodyObject(ctx.body);
      const raw = bodyObject(b.Person);
      const id = str(raw.Person_ID);
      // "Integrator defines new GUIDs for ID fields" (§2.7); a repeated id is refused [inf].
      if (!id) return badRequest("Person_ID is required");
      if (ctx.state.persons.has(id)) return badRequest("Person_ID already exists");
      const zoneIds = Array.isArray(b.ZoneIds) ? b.ZoneIds.filter((z) => typeof z === "string") : [];
      const zonesKnown = zoneIds.every((z) => ctx.state.zones.some((zz) => zz.Zone_ID === z));
      // [3p] A zone is mandatory in practice (HelloID).
      if (zoneIds.length === 0 || !zonesKnown) return invalidValue(ctx, "ZoneIds");
      const blank: FakePerson = {
        Person_ID: id,
        LockGroup_ID: ctx.lockGroup.LockGroup_ID,
        ExternalPersonId: "",
        PersonCode: "",
        FirstName: "",
        LastName: "",
        Description: "",
        eMail: "",
        Phone1: "",
        EmploymentEndDate: null,
        State: 0,
        zoneIds,
      };
      ctx.state.persons.set(id, readPerson(raw, blank));
      return ok({ PersonIds: [id] });
    },
  },
  {
    method: "PUT",
    path: "Persons",
    access: "lockgroup",
    handle: (ctx) => {
      const raw = bodyObject(bodyObject(ctx.body).Person);
      const existing = ctx.state.persons.get(str(raw.Person_ID) ?? "");
      if (!existing || existing.LockGroup_ID !== ctx.lockGroup.LockGroup_ID) {
        return invalidValue(ctx, "Person_ID");
      }
      ctx.state.persons.set(existing.Person_ID, readPerson(raw, existing));
      return ok();
    },
  },
  {
    method: "GET",
    path: "Persons/{id}/CanDelete",
    access: "lockgroup",
    handle: (ctx) => {
      const p = findPerson(ctx);
      return p ? ok(canDeletePerson(ctx.state, p.Person_ID)) : invalidValue(ctx, "Person_ID");
    },
  },
  {
    method: "DELETE",
    path: "Persons/{id}",
    access: "lockgroup",
    handle: (ctx) => {
      const p = findPerson(ctx);
      if (!p) return invalidValue(ctx, "Person_ID");
      const code = canDeletePerson(ctx.state, p.Person_ID);
      if (code !== 0) return badRequest(`Person cannot be deleted (PniPersonCanDeleteErrorType ${code})`);
      ctx.state.persons.delete(p.Person_ID);
      return ok();
    },
  },
  {
    method: "GET",
    path: "Persons/{id}/Keys",
    access: "lockgroup",
    handle: (ctx) => {
      const p = findPerson(ctx);
      if (!p) return invalidValue(ctx, "Person_ID");
      const keys = [...ctx.state.keys.values()].filter((k) => k.Person_ID === p.Person_ID);
      return ok({ Keys: keys.map((k) => renderKey(k)) });
    },
  },
];

// Key endpoints of the fake: create, update, phone data, main zone, order, return, delete (§2.3, §2.5).
import { canDeleteKey, canOrder, canReturn, checkTimeLimitSlots } from "./iloq-fake-checks";
import { findKey, readSlots } from "./iloq-fake-lookup";
import {
  badRequest,
  bodyObject,
  type FakeRoute,
  invalidValue,
  ok,
  type RouteContext,
  str,
} from "./iloq-fake-route";
import { copyRights, renderKey } from "./iloq-fake-render";
import { fromLocalString } from "./iloq-fake-time";
import type { FakeKey } from "./iloq-fake-types";

/** KeyTypeMask values allowed on insert (§2.2): phone 6, S50 fob 10, S5 264, S10 9, external tag 384. */
const INSERTABLE_TYPES = new Set([6, 10, 264, 9, 384]);

function validLocal(ctx: RouteContext, v: unknown): boolean {
  return (
    v === null ||
    v === undefined ||
    (typeof v === "string" && fromLocalString(v, ctx.lockGroup.TimeZoneStandardName) !== null)
  );
}

function createKey(ctx: RouteContext) {
  const b = bodyObject(ctx.body);
  const k = bodyObject(b.Key);
  const id = str(k.FNKey_ID);
  if (!id) return badRequest("FNKey_ID is required");
  if (ctx.state.keys.has(id)) return badRequest("FNKey_ID already exists");
  const type = typeof k.KeyTypeMask === "number" ? k.KeyTypeMask : -1;
  if (!INSERTABLE_TYPES.has(type)) return invalidValue(ctx, "KeyTypeMask");
  const personId = str(k.Person_ID);
  // Person_ID is mandatory for keys since 6.9.1.0 (§2.5).
  if (!personId || !ctx.state.persons.has(personId)) return invalidValue(ctx, "Person_ID");
  if (!validLocal(ctx, k.ExpireDate)) return invalidValue(ctx, "ExpireDate");
  const ids = Array.isArray(b.SecurityAccessIds) ? b.SecurityAccessIds.map(String) : [];
  if (!ids.every((sa) => ctx.state.securityAccesses.some((s) => s.SecurityAccess_ID === sa))) {
    return invalidValue(ctx, "SecurityAccessIds");
  }
  const slots = readSlots(b.TimeLimitSlots);
  const code = checkTimeLimitSlots(slots, ctx.lockGroup.TimeZoneStandardName, ctx.a);
  if (code !== 0) return badRequest(`Time limits not valid (CanAddTimeLimit ${code})`);
  const zoneIds = Array.isArray(b.ZoneIds) ? b.ZoneIds.map(String) : [];
  const key: FakeKey = {
    FNKey_ID: id,
    LockGroup_ID: ctx.lockGroup.LockGroup_ID,
    Person_ID: personId,
    KeyTypeMask: type,
    Description: str(k.Description) ?? "",
    ExpireDate: str(k.ExpireDate),
    TagKey: str(k.TagKey),
    Stamp: String(1000 + ctx.state.keys.size).slice(-4),
    PhoneNo: null,
    Email: null,
    PhoneOptionMask: 0,
    zoneIds,
    State: 0,
    everProgrammed: false,
    planned: { securityAccessIds: ids, timeLimitSlots: slots },
    programmed: null,
    packet: null,
    OfflineExpirationSeconds:
      typeof b.OfflineExpirationSeconds === "number" ? b.OfflineExpirationSeconds : null,
  };
  ctx.state.keys.set(id, key);
  ctx.emitWebhook("key_added", key.LockGroup_ID, renderKey(key));
  return ok(renderKey(key));
}

/** Order: enforce CanOrder server-side (§6.1.6); tags are programmed on the server at once (§2.5). */
function orderKey(ctx: RouteContext) {
  const key = findKey(ctx);
  if (!key) return invalidValue(ctx, "FNKey_ID");
  const code = canOrder(ctx.state, key, ctx.a);
  if (code !== 0) return badRequest(`Key cannot be ordered (CanOrderKeyResultType ${code})`);
  key.State = 1;
  key.packet = copyRights(key.planned);
  if ((key.KeyTypeMask & 128) !== 0) {
    key.State = 3;
    key.programmed = key.packet;
    key.packet = null;
    key.everProgrammed = true;
    if (key.KeyTypeMask === 384) key.KeyTypeMask = 400;
  }
  return ok();
}

export const keyRoutes: FakeRoute[] = [
  { method: "POST", path: "Keys", access: "lockgroup", handle: createKey },
  {
    method: "PUT",
    path: "Keys",
    access: "lockgroup",
    handle: (ctx) => {
      const k = bodyObject(bodyObject(ctx.body).Key);
      const key = findKey(ctx, str(k.FNKey_ID) ?? "");
      if (!key) return invalidValue(ctx, "FNKey_ID");
      if (!validLocal(ctx, k.ExpireDate)) return invalidValue(ctx, "ExpireDate");
      key.Description = typeof k.Description === "string" ? k.Description : key.Description;
      key.ExpireDate = str(k.ExpireDate);
      key.TagKey = typeof k.TagKey === "string" ? k.TagKey : key.TagKey;
      return ok();
    },
  },
  {
    method: "GET",
    path: "Keys/{id}",
    access: "lockgroup",
    handle: (ctx) => {
      const key = findKey(ctx);
      return key ? ok(renderKey(key)) : invalidValue(ctx, "FNKey_ID");
    },
  },
  {
    method: "PUT",
    path: "KeyPhones",
    access: "lockgroup",
    handle: (ctx) => {
      const b = bodyObject(ctx.body);
      const key = findKey(ctx, str(b.FNKey_ID) ?? "");
      if (!key || (key.KeyTypeMask & 4) === 0) return invalidValue(ctx, "FNKey_ID");
      key.PhoneNo = str(b.PhoneNo);
      key.Email = str(b.Email);
      key.PhoneOptionMask = typeof b.OptionMask === "number" ? b.OptionMask : 0;
      return ok();
    },
  },
  {
    method: "GET",
    path: "Keys/{id}/CanUpdateMainZone",
    access: "lockgroup",
    handle: (ctx) => (findKey(ctx) ? ok(0) : invalidValue(ctx, "FNKey_ID")),
  },
  ...["POST", "PUT"].map(
    (method): FakeRoute => ({
      method,
      path: "Keys/{id}/UpdateMainZone",
      access: "lockgroup",
      handle: (ctx) => {
        const key = findKey(ctx);
        const zone = str(bodyObject(ctx.body).Zone_ID);
        if (!key) return invalidValue(ctx, "FNKey_ID");
        if (!zone || !ctx.state.zones.some((z) => z.Zone_ID === zone)) return invalidValue(ctx, "Zone_ID");
        key.zoneIds = [zone, ...key.zoneIds.filter((z) => z !== zone)];
        return ok();
      },
    }),
  ),
  {
    method: "GET",
    path: "Keys/{id}/CanOrder",
    access: "lockgroup",
    handle: (ctx) => {
      const key = findKey(ctx);
      return key ? ok(canOrder(ctx.state, key, ctx.a)) : invalidValue(ctx, "FNKey_ID");
    },
  },
  { method: "POST", path: "Keys/{id}/Order", access: "lockgroup", handle: orderKey },
  {
    method: "GET",
    path: "Keys/{id}/CanReturn",
    access: "lockgroup",
    handle: (ctx) => {
      const key = findKey(ctx);
      return key ? ok(canReturn(ctx.state, key)) : invalidValue(ctx, "FNKey_ID");
    },
  },
  {
    method: "POST",
    path: "Keys/{id}/Return",
    access: "lockgroup",
    handle: (ctx) => {
      const key = findKey(ctx);
      if (!key) return invalidValue(ctx, "FNKey_ID");
      const code = canReturn(ctx.state, key);
      if (code !== 0) return badRequest(`Key cannot be returned (CanReturnKeyResultType ${code})`);
      // "A return also deletes the key" (§2.3).
      ctx.state.keys.delete(key.FNKey_ID);
      return ok();
    },
  },
  {
    method: "GET",
    path: "Keys/{id}/CanDelete",
    access: "lockgroup",
    handle: (ctx) => {
      const key = findKey(ctx);
      return key ? ok(canDeleteKey(ctx.state, key)) : invalidValue(ctx, "FNKey_ID");
    },
  },
  {
    method: "DELETE",
    path: "Keys/{id}",
    access: "lockgroup",
    handle: (ctx) => {
      const key = findKey(ctx);
      if (!key) return invalidValue(ctx, "FNKey_ID");
      const code = canDeleteKey(ctx.state, key);
      if (code !== 0) return badRequest(`Key cannot be deleted (CanDeleteKeyResult ${code})`);
      ctx.state.keys.delete(key.FNKey_ID);
      return ok();
    },
  },
];

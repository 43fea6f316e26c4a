// A key's access rights and time limits (§2.3 "Key rights", "Replace rights + time slots", "Time limits").
import { canAddLink, canDeleteLink, checkTimeLimitSlots, isBlacklisted } from "./iloq-fake-checks";
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
import { renderKeyAccesses, renderTimeLimits, sameRights } from "./iloq-fake-render";
import type { FakeKey, FakeRights } from "./iloq-fake-types";

const modeRights = (ctx: RouteContext, key: FakeKey): FakeRights | null =>
  ctx.query.get("mode") === "2" ? key.programmed : key.planned;

const apiType = (ctx: RouteContext, id: string) =>
  ctx.state.securityAccesses.find((s) => s.SecurityAccess_ID === id)?.Type === 3;

/** A change to a programmed key puts it back to planning until it is ordered again [inf]. */
function setPlanned(key: FakeKey, next: FakeRights) {
  if (sameRights(key.planned, next)) return;
  key.planned = next;
  key.State = 0;
  key.packet = null;
}

/** Full replace (§2.3: "Anything omitted is deleted"); only API-type rights may change (§2.2). */
async function replaceRights(ctx: RouteContext) {
  const key = findKey(ctx);
  if (!key) return invalidValue(ctx, "FNKey_ID");
  const b = bodyObject(ctx.body);
  const ids = Array.isArray(b.SecurityAccessIds) ? [...new Set(b.SecurityAccessIds.map(String))] : [];
  if (!ids.every((id) => ctx.state.securityAccesses.some((s) => s.SecurityAccess_ID === id))) {
    return invalidValue(ctx, "SecurityAccessIds");
  }
  if (isBlacklisted(ctx.state, key.FNKey_ID)) return badRequest("Key is in blacklist");
  const before = new Set(key.planned.securityAccessIds);
  const changed = [...ids.filter((id) => !before.has(id)), ...[...before].filter((id) => !ids.includes(id))];
  if (changed.some((id) => !apiType(ctx, id))) return badRequest("Only API access rights can be changed");
  if (ids.length > ctx.a.maxAccessesPerKey) return badRequest("Too many security accesses (CanAdd 3)");
  const slots = readSlots(b.TimeLimitSlots);
  const code = checkTimeLimitSlots(slots, ctx.lockGroup.TimeZoneStandardName, ctx.a);
  if (code !== 0) return badRequest(`Time limits not valid (CanAddTimeLimit ${code})`);
  // [inf] Race toggle: widen the window between a client's read and this write (§6.1).
  if (ctx.a.raceDelayMs > 0) await ctx.sleep(ctx.a.raceDelayMs);
  setPlanned(key, { securityAccessIds: ids, timeLimitSlots: slots });
  if (typeof b.OfflineExpirationSeconds === "number")
    key.OfflineExpirationSeconds = b.OfflineExpirationSeconds;
  return ok();
}

export const keyAccessRoutes: FakeRoute[] = [
  {
    method: "GET",
    path: "Keys/{id}/SecurityAccesses/CanAdd",
    access: "lockgroup",
    handle: (ctx) => {
      const key = findKey(ctx);
      return key ? ok(canAddLink(ctx.state, key, ctx.a)) : invalidValue(ctx, "FNKey_ID");
    },
  },
  {
    method: "GET",
    path: "Keys/{id}/SecurityAccesses",
    access: "lockgroup",
    handle: (ctx) => {
      const key = findKey(ctx);
      return key ? ok(renderKeyAccesses(ctx.state, modeRights(ctx, key))) : invalidValue(ctx, "FNKey_ID");
    },
  },
  {
    method: "POST",
    path: "Keys/{id}/SecurityAccesses",
    access: "lockgroup",
    handle: (ctx) => {
      const key = findKey(ctx);
      const id = str(bodyObject(ctx.body).SecurityAccess_ID);
      if (!key) return invalidValue(ctx, "FNKey_ID");
      if (!id || !ctx.state.securityAccesses.some((s) => s.SecurityAccess_ID === id)) {
        return invalidValue(ctx, "SecurityAccess_ID");
      }
      const code = canAddLink(ctx.state, key, ctx.a);
      if (code !== 1) return badRequest(`Security access cannot be added (CanAddSecurityAccessLink ${code})`);
      if (!apiType(ctx, id)) return badRequest("Only API access rights can be changed");
      if (!key.planned.securityAccessIds.includes(id)) {
        setPlanned(key, { ...key.planned, securityAccessIds: [...key.planned.securityAccessIds, id] });
      }
      return { status: 204 };
    },
  },
  { method: "PUT", path: "Keys/{id}/SecurityAccesses", access: "lockgroup", handle: replaceRights },
  {
    method: "GET",
    path: "Keys/{id}/SecurityAccesses/{saId}/CanDelete",
    access: "lockgroup",
    handle: (ctx) => {
      const key = findKey(ctx);
      return key ? ok(canDeleteLink(ctx.state, key, ctx.params.saId ?? "")) : invalidValue(ctx, "FNKey_ID");
    },
  },
  {
    method: "DELETE",
    path: "Keys/{id}/SecurityAccesses/{saId}",
    access: "lockgroup",
    handle: (ctx) => {
      const key = findKey(ctx);
      const saId = ctx.params.saId ?? "";
      if (!key) return invalidValue(ctx, "FNKey_ID");
      const code = canDeleteLink(ctx.state, key, saId);
      if (code !== 1)
        return badRequest(`Security access cannot be deleted (CanDeleteSecurityAccessLink ${code})`);
      if (!apiType(ctx, saId)) return badRequest("Only API access rights can be changed");
      const next = key.planned.securityAccessIds.filter((x) => x !== saId);
      setPlanned(key, { ...key.planned, securityAccessIds: next });
      return ok();
    },
  },
  {
    method: "POST",
    path: "Keys/{id}/TimeLimitTitles/CanAdd",
    access: "lockgroup",
    handle: (ctx) => {
      const key = findKey(ctx);
      if (!key) return invalidValue(ctx, "FNKey_ID");
      const [slot] = readSlots([bodyObject(ctx.body).TimeLimitSlot]);
      const others = key.planned.timeLimitSlots.filter((s) => s.SlotNo !== slot?.SlotNo);
      if (isBlacklisted(ctx.state, key.FNKey_ID)) return ok(15);
      return ok(
        checkTimeLimitSlots(slot ? [...others, slot] : others, ctx.lockGroup.TimeZoneStandardName, ctx.a),
      );
    },
  },
  ...["POST", "PUT"].map(
    (method): FakeRoute => ({
      method,
      path: "Keys/{id}/TimeLimitTitles",
      access: "lockgroup",
      handle: (ctx) => {
        const key = findKey(ctx);
        if (!key) return invalidValue(ctx, "FNKey_ID");
        const [slot] = readSlots([bodyObject(ctx.body).TimeLimitSlot]);
        if (!slot || slot.SlotNo < 0) return invalidValue(ctx, "TimeLimitSlot");
        const next = [...key.planned.timeLimitSlots.filter((s) => s.SlotNo !== slot.SlotNo), slot];
        const code = checkTimeLimitSlots(next, ctx.lockGroup.TimeZoneStandardName, ctx.a);
        if (code !== 0) return badRequest(`Time limits not valid (CanAddTimeLimit ${code})`);
        setPlanned(key, { ...key.planned, timeLimitSlots: next.sort((x, y) => x.SlotNo - y.SlotNo) });
        return ok();
      },
    }),
  ),
  {
    method: "DELETE",
    path: "Keys/{id}/TimeLimitTitles/{titleId}",
    access: "lockgroup",
    handle: (ctx) => {
      const key = findKey(ctx);
      if (!key) return invalidValue(ctx, "FNKey_ID");
      const next = key.planned.timeLimitSlots.filter((s) => s.TimeLimitTitle_ID !== ctx.params.titleId);
      setPlanned(key, { ...key.planned, timeLimitSlots: next });
      return ok();
    },
  },
  {
    method: "GET",
    path: "Keys/{id}/TimeLimitTitles",
    access: "lockgroup",
    handle: (ctx) => {
      const key = findKey(ctx);
      return key ? ok(renderTimeLimits(modeRights(ctx, key))) : invalidValue(ctx, "FNKey_ID");
    },
  },
];

// Catalog, lock-log and webhook-subscription endpoints of the fake (§2.3, §2.5 Audit, §2.6).
import {
  badRequest,
  bodyObject,
  type FakeRoute,
  invalidValue,
  ok,
  type RouteContext,
  str,
} from "./iloq-fake-route";
import { renderSecurityAccess } from "./iloq-fake-render";
import { fromUtcString, toLocalString, toUtcString } from "./iloq-fake-time";
import type { FakeLockLog, FakeSubscription } from "./iloq-fake-types";

export const WEBHOOK_EVENTS = ["key_added", "key_blocklisted", "device_log_arrived"];
const YEAR_MS = 366 * 24 * 3600_000;

function utcRange(ctx: RouteContext, startKey: string, endKey: string) {
  const b = bodyObject(ctx.body);
  const start = typeof b[startKey] === "string" ? fromUtcString(b[startKey] as string) : new Date(0);
  const end = typeof b[endKey] === "string" ? fromUtcString(b[endKey] as string) : ctx.clock.now();
  return start && end ? { start, end } : null;
}

function mine(ctx: RouteContext): FakeLockLog[] {
  return ctx.state.lockLogs.filter((l) => l.LockGroup_ID === ctx.lockGroup.LockGroup_ID);
}

function renderSubscription(s: FakeSubscription) {
  const { payloads: _p, LockGroup_ID: _g, ...wire } = s;
  return wire;
}

function findSubscription(ctx: RouteContext) {
  return ctx.state.subscriptions.find(
    (s) => s.SubscriptionId === ctx.params.id && s.LockGroup_ID === ctx.lockGroup.LockGroup_ID,
  );
}

export const logRoutes: FakeRoute[] = [
  {
    method: "GET",
    path: "Zones",
    access: "lockgroup",
    handle: (ctx) =>
      ok(
        ctx.state.zones
          .filter((z) => z.LockGroup_ID === ctx.lockGroup.LockGroup_ID)
          .map(({ LockGroup_ID: _g, ...z }) => ({ ...z, TimeZone_ID: null })),
      ),
  },
  {
    method: "GET",
    path: "SecurityAccesses",
    access: "lockgroup",
    handle: (ctx) =>
      ok(
        ctx.state.securityAccesses
          .filter((s) => s.LockGroup_ID === ctx.lockGroup.LockGroup_ID)
          .map(renderSecurityAccess),
      ),
  },
  {
    method: "POST",
    path: "LockLogs/GetLockLogDataByTimestamp",
    access: "lockgroup",
    // Filters on the time the log reached the database, so late logs of offline locks are not missed.
    handle: (ctx) => {
      const r = utcRange(ctx, "StartDateUtc", "EndDateUtc");
      if (!r) return invalidValue(ctx, "StartDateUtc");
      const zone = ctx.lockGroup.TimeZoneStandardName;
      const logs = mine(ctx)
        .filter((l) => l.timestampUtc >= r.start && l.timestampUtc < r.end)
        .sort((a, b) => a.timestampUtc.getTime() - b.timestampUtc.getTime())
        .map((l) => ({
          DeviceLog_ID: l.DeviceLog_ID,
          AccessTypeMask: l.AccessTypeMask,
          FLock_ID: l.FLock_ID,
          FNKey_ID: l.FNKey_ID,
          Person_ID: l.Person_ID,
          GoingDate: toLocalString(l.goingUtc, zone),
          ReadingDate: toLocalString(l.timestampUtc, zone),
          TimestampUtc: toUtcString(l.timestampUtc),
          ErrorCode: l.ErrorCode,
        }));
      return ok({ StartDateUtc: toUtcString(r.start), EndDateUtc: toUtcString(r.end), LockLogs: logs });
    },
  },
  {
    method: "POST",
    path: "LockLogs",
    access: "lockgroup",
    // Filters on going (event) time plus lock/key lists and TypeMask bits (§6.1.9).
    handle: (ctx) => {
      const b = bodyObject(ctx.body);
      const r = utcRange(ctx, "GoingStartDateUtc", "GoingEndDateUtc");
      if (!r) return invalidValue(ctx, "GoingStartDateUtc");
      const locks = Array.isArray(b.FLockIds) && b.FLockIds.length ? new Set(b.FLockIds.map(String)) : null;
      const keys = Array.isArray(b.FNKeyIds) && b.FNKeyIds.length ? new Set(b.FNKeyIds.map(String)) : null;
      const mask = typeof b.TypeMask === "number" && b.TypeMask > 0 ? b.TypeMask : -1;
      const logs = mine(ctx).filter(
        (l) =>
          l.goingUtc >= r.start &&
          l.goingUtc < r.end &&
          (!locks || locks.has(l.FLock_ID)) &&
          (!keys || (l.FNKey_ID !== null && keys.has(l.FNKey_ID))) &&
          (l.AccessTypeMask & mask) !== 0,
      );
      const rendered = logs.map((l) => ({
        DeviceLog_ID: l.DeviceLog_ID,
        GoingDateUtc: toUtcString(l.goingUtc),
        TypeMask: l.AccessTypeMask,
        ErrCode: l.ErrorCode,
        ErrorDescription: "",
        FLock: { FlockId: l.FLock_ID, LockingObject: "", LocationCode: "", LockType: 0 },
        FNKey: l.FNKey_ID ? { FNKeyId: l.FNKey_ID, Stamp: "", PersonName: "", KeyTypeMask: 0 } : null,
        LocationData: null,
        LockStateConfirmation: null,
      }));
      return ok({ LockLogs: rendered, TotalCount: rendered.length });
    },
  },
  {
    method: "GET",
    path: "Webhooks/Events",
    access: "lockgroup",
    handle: () => ok(WEBHOOK_EVENTS.map((name) => ({ WebhookEventId: name, Name: name }))),
  },
  {
    method: "POST",
    path: "Webhooks/Subscriptions",
    access: "lockgroup",
    handle: (ctx) => {
      const b = bodyObject(ctx.body);
      const event = str(b.WebhookEventId);
      const target = str(b.TargetEndpointUri);
      if (!event || !WEBHOOK_EVENTS.includes(event)) return invalidValue(ctx, "WebhookEventId");
      if (!target) return invalidValue(ctx, "TargetEndpointUri");
      const group = ctx.lockGroup.LockGroup_ID;
      const now = ctx.clock.now();
      const end = str(b.EndDateUtc)
        ? fromUtcString(b.EndDateUtc as string)
        : new Date(now.getTime() + YEAR_MS - 1);
      // At most 3 subscriptions per event per locking system; end date at most a year ahead (§2.6).
      const same = ctx.state.subscriptions.filter(
        (s) => s.LockGroup_ID === group && s.WebhookEventId === event,
      );
      if (same.length >= 3) return badRequest("Too many subscriptions for this event");
      if (!end || end.getTime() - now.getTime() > YEAR_MS)
        return badRequest("EndDateUtc too far in the future");
      const sub: FakeSubscription = {
        SubscriptionId: str(b.SubscriptionId) ?? ctx.newId(),
        LockGroup_ID: group,
        WebhookEventId: event,
        TargetEndpointUri: target,
        StartDateUtc: str(b.StartDateUtc) ?? toUtcString(now),
        EndDateUtc: toUtcString(end),
        CustomHeader: str(b.CustomHeader),
        SignKey: ctx.newId().replace(/-/g, ""),
        State: 0,
        Counter: 0,
        payloads: [],
      };
      ctx.state.subscriptions.push(sub);
      return ok(renderSubscription(sub));
    },
  },
  {
    method: "GET",
    path: "Webhooks/Subscriptions",
    access: "lockgroup",
    handle: (ctx) =>
      ok(
        ctx.state.subscriptions
          .filter((s) => s.LockGroup_ID === ctx.lockGroup.LockGroup_ID)
          .map(renderSubscription),
      ),
  },
  {
    method: "GET",
    path: "Webhooks/Subscriptions/{id}",
    access: "lockgroup",
    handle: (ctx) => {
      const s = findSubscription(ctx);
      return s ? ok(renderSubscription(s)) : invalidValue(ctx, "SubscriptionId");
    },
  },
  {
    method: "PUT",
    path: "Webhooks/Subscriptions",
    access: "lockgroup",
    handle: (ctx) => {
      const b = bodyObject(ctx.body);
      const s = ctx.state.subscriptions.find(
        (x) => x.SubscriptionId === str(b.SubscriptionId) && x.LockGroup_ID === ctx.lockGroup.LockGroup_ID,
      );
      if (!s) return invalidValue(ctx, "SubscriptionId");
      const end = str(b.EndDateUtc) ? fromUtcString(b.EndDateUtc as string) : null;
      if (end && end.getTime() - ctx.clock.now().getTime() > YEAR_MS)
        return badRequest("EndDateUtc too far in the future");
      if (str(b.TargetEndpointUri)) s.TargetEndpointUri = b.TargetEndpointUri as string;
      if (end) s.EndDateUtc = toUtcString(end);
      if (b.CustomHeader !== undefined) s.CustomHeader = str(b.CustomHeader);
      return ok(renderSubscription(s));
    },
  },
  {
    method: "GET",
    path: "Webhooks/Subscriptions/{id}/PendingPayloads",
    access: "lockgroup",
    handle: (ctx) => {
      const s = findSubscription(ctx);
      if (!s) return invalidValue(ctx, "SubscriptionId");
      const pending = s.payloads.filter((p) => !p.delivered && p.nextAttemptAt !== null);
      return ok(pending.map((p) => ({ Counter: p.counter, Payload: p.body, Attempts: p.attempts })));
    },
  },
  {
    method: "DELETE",
    path: "Webhooks/Subscriptions/{id}",
    access: "lockgroup",
    handle: (ctx) => {
      const s = findSubscription(ctx);
      if (!s) return invalidValue(ctx, "SubscriptionId");
      ctx.state.subscriptions = ctx.state.subscriptions.filter((x) => x !== s);
      return ok();
    },
  },
  {
    method: "GET",
    path: "Webhooks/Subscriptions/{id}/Payloads",
    access: "lockgroup",
    handle: (ctx) => {
      const s = findSubscription(ctx);
      if (!s) return invalidValue(ctx, "SubscriptionId");
      return ok(
        s.payloads.slice(-1000).map((p) => ({ Counter: p.counter, Payload: p.body, Delivered: p.delivered })),
      );
    },
  },
];

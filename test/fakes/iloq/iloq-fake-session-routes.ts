// Session endpoints of the fake: Url/GetUrl, CreateSession, LockGroups, SetLockgroup, KillSession (§2.1).
import { bodyObject, type FakeRoute, invalidValue, ok, str } from "./iloq-fake-route";

export const IMPLEMENTED_VERSION = "7.5.0.0";

/** CreateSessionResultType (§2.1). */
export const CREATE_SESSION = {
  success: 1,
  dbUpdate: 4,
  invalidCredentials: 5,
  lockedOut: 7,
  ignoredLockedOut: 8,
} as const;

export const sessionRoutes: FakeRoute[] = [
  {
    method: "POST",
    path: "Url/GetUrl",
    access: "open",
    // Returns a JSON string; null/empty means "keep the server you asked" (§2.1).
    handle: (ctx) => ok(ctx.state.getUrlResult ?? ""),
  },
  {
    method: "POST",
    path: "CreateSession",
    access: "open",
    handle: (ctx) => {
      const b = bodyObject(ctx.body);
      const fail = (Result: number) => ok({ SessionID: null, Result });
      if (ctx.state.maintenance) return fail(CREATE_SESSION.dbUpdate);
      const user = ctx.state.users.find(
        (u) => u.UserName === b.UserName && u.CustomerCode === b.CustomerCode,
      );
      if (user?.lockedOut) return fail(CREATE_SESSION.ignoredLockedOut);
      if (!user || user.Password !== b.Password) {
        if (!user) return fail(CREATE_SESSION.invalidCredentials);
        user.failedLogins += 1;
        // [inf] After N bad passwords the account locks: 7 once, then 8 for every later attempt.
        if (user.failedLogins >= ctx.a.lockoutThreshold) {
          user.lockedOut = true;
          return fail(CREATE_SESSION.lockedOut);
        }
        return fail(CREATE_SESSION.invalidCredentials);
      }
      user.failedLogins = 0;
      const enabled = ctx.state.lockGroups.some((g) => g.Customer_ID === user.CustomerCode && g.apiEnabled);
      if (!enabled) return fail(ctx.a.apiDisabledResult);
      const SessionID = ctx.newId();
      ctx.state.sessions.set(SessionID, {
        SessionID,
        userName: user.UserName,
        lockGroupId: null,
        lastUsed: ctx.clock.now(),
      });
      return ok({ SessionID, Result: CREATE_SESSION.success });
    },
  },
  { method: "GET", path: "Test", access: "open", handle: () => ok("Test OK") },
  { method: "GET", path: "Version", access: "open", handle: () => ok(IMPLEMENTED_VERSION) },
  {
    method: "GET",
    path: "KillSession",
    access: "session",
    handle: (ctx) => {
      if (ctx.session) ctx.state.sessions.delete(ctx.session.SessionID);
      return ok();
    },
  },
  {
    method: "GET",
    path: "LockGroups",
    access: "session",
    handle: (ctx) => {
      const user = ctx.state.users.find((u) => u.UserName === ctx.session?.userName);
      const groups = ctx.state.lockGroups.filter((g) => g.Customer_ID === user?.CustomerCode);
      return ok(groups.map(({ apiEnabled: _omit, ...g }) => g));
    },
  },
  {
    method: "POST",
    path: "SetLockgroup",
    access: "session",
    handle: (ctx) => {
      const id = str(bodyObject(ctx.body).LockGroup_ID);
      const group = ctx.state.lockGroups.find((g) => g.LockGroup_ID === id);
      const user = ctx.state.users.find((u) => u.UserName === ctx.session?.userName);
      if (!group || !ctx.session || group.Customer_ID !== user?.CustomerCode) {
        return invalidValue(ctx, "LockGroup_ID");
      }
      ctx.session.lockGroupId = group.LockGroup_ID;
      return ok({ RightsMask: user.RightsMask });
    },
  },
];

// Route table types and reply helpers shared by the fake's endpoint files.
import type { Clock } from "../../../src/drivers/key-system-driver";
import type { FakeLockGroup, FakeSession, IloqFakeAssumptions, IloqFakeState } from "./iloq-fake-types";

export interface FakeReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteContext {
  state: IloqFakeState;
  a: IloqFakeAssumptions;
  clock: Clock;
  newId: () => string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  session: FakeSession | null;
  /** The LockGroup chosen with SetLockgroup (set for "lockgroup" routes). */
  lockGroup: FakeLockGroup;
  emitWebhook(eventName: string, lockGroupId: string, data: unknown): void;
  sleep(ms: number): Promise<void>;
}

/** Documented rule (§6.1.1): open before login, session after CreateSession, lockgroup after SetLockgroup. */
export type RouteAccess = "open" | "session" | "lockgroup";

export interface FakeRoute {
  method: string;
  /** Path after /api/v2/, `{name}` for parameters; matched case-insensitively (§2.1 [3p]). */
  path: string;
  access: RouteAccess;
  handle(ctx: RouteContext): FakeReply | Promise<FakeReply>;
}

export const ok = (body?: unknown): FakeReply => ({ status: 200, body });
export const noContent = (): FakeReply => ({ status: 204 });

/** [3p] Unknown ids answer with a Message containing "Invalid value" (§2.7). */
export const invalidValue = (ctx: RouteContext, what: string): FakeReply => ({
  status: ctx.a.invalidValueStatus,
  body: { Message: `Invalid value: ${what}` },
});

/** [inf] Validation errors and refused operations: 400 with an ASP.NET-style Message (§6.1). */
export const badRequest = (message: string): FakeReply => ({ status: 400, body: { Message: message } });

export function matchRoute(
  routes: FakeRoute[],
  method: string,
  path: string,
): { route: FakeRoute; params: Record<string, string> } | null {
  const segs = path.split("/").filter(Boolean);
  for (const route of routes) {
    if (route.method !== method) continue;
    const pattern = route.path.split("/");
    if (pattern.length !== segs.length) continue;
    const params: Record<string, string> = {};
    const hit = pattern.every((p, i) => {
      const s = segs[i] ?? "";
      if (p.startsWith("{")) {
        params[p.slice(1, -1)] = decodeURIComponent(s);
        return true;
      }
      return p.toLowerCase() === s.toLowerCase();
    });
    if (hit) return { route, params };
  }
  return null;
}

export function bodyObject(body: unknown): Record<string, unknown> {
  return body && typeof body === "object" && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

export const str = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

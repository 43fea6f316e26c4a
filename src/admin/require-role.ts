// Express middleware guarding every admin route: `Authorization: Bearer <admin token>` or the session
// cookie, then the role check. Puts the caller on `res.locals.actor` ({name, role, tokenId}).
import type { NextFunction, Request, Response } from "express";
import { bearerToken } from "../scim/scim-middleware";
import type { AdminActor, AdminRole } from "./admin-role";
import { roleAllows } from "./admin-role";
import { csrfMissing, forbidden, unauthenticated } from "./admin-error";
import type { AdminSessions } from "./admin-sessions";
import type { AdminTokens } from "./admin-tokens";

export interface AdminAuthDeps {
  tokens: AdminTokens;
  sessions: AdminSessions;
}

export const SESSION_COOKIE = "kb_admin_session";
export const CSRF_HEADER = "x-keybridge-csrf";

/** Methods that change nothing: a session cookie alone suffices for them. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The value of one cookie from the Cookie header (RFC 6265 §5.4); no cookie library needed for one. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/**
 * Who is calling: a bearer admin token (scripts, the CLI's peers), else the session cookie (the
 * console). A cookie-authenticated write must echo the session's CSRF token: the cookie is
 * SameSite=Strict already, and the header is a second lock a cross-site form cannot pick, since a
 * page on another origin can neither read the token nor set a custom header without CORS (none here).
 */
export async function authenticateAdmin(deps: AdminAuthDeps, req: Request): Promise<AdminActor> {
  const authorization = req.get("authorization");
  if (authorization) {
    const token = bearerToken(authorization);
    const actor = token ? await deps.tokens.verify(token) : null;
    if (!actor) throw unauthenticated();
    return actor;
  }
  const id = readCookie(req.get("cookie"), SESSION_COOKIE);
  const session = id ? await deps.sessions.find(id) : null;
  if (!session) throw unauthenticated();
  if (!SAFE_METHODS.has(req.method) && req.get(CSRF_HEADER) !== session.csrf) throw csrfMissing();
  return { name: session.name, role: session.role, tokenId: session.tokenId };
}

/** Refuses with 401 (no valid token or session) or 403 (role below `role`); otherwise sets the actor. */
export function requireRole(deps: AdminAuthDeps, role: AdminRole) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const actor = await authenticateAdmin(deps, req);
    if (!roleAllows(actor.role, role)) throw forbidden();
    res.locals.actor = actor;
    next();
  };
}

/** The caller require-role put on the response (only inside a guarded route). */
export function actorOf(res: Response): AdminActor {
  return res.locals.actor as AdminActor;
}

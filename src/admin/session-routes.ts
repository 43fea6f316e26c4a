// POST/GET/DELETE /admin/v1/session: trade an admin token for a browser session cookie (the console's
// login), ask who the session is (and its CSRF token, after a page reload), and log out.
import { type Request, type Response, Router } from "express";
import { auditTypes } from "../audit/audit-catalog";
import type { AuditSink } from "../audit/audit-event";
import { type AdminActor, auditActorOf } from "./admin-role";
import { csrfMissing, invalidRequest, unauthenticated } from "./admin-error";
import {
  type AdminAuthDeps,
  authenticateAdmin,
  CSRF_HEADER,
  readCookie,
  SESSION_COOKIE,
} from "./require-role";

export interface SessionRouteDeps extends AdminAuthDeps {
  audit: AuditSink;
}

/** What the console learns about its caller; csrfToken only for a cookie session. */
export interface SessionView {
  name: string;
  role: string;
  csrfToken?: string;
  expiresAt?: string;
}

export function sessionRoutes(deps: SessionRouteDeps): Router {
  const router = Router();
  router.post("/", async (req, res) => {
    const token = (req.body as { token?: unknown } | undefined)?.token;
    if (typeof token !== "string" || token === "") throw invalidRequest("body needs {token}");
    const actor = await deps.tokens.verify(token);
    if (!actor) throw unauthenticated();
    const session = await deps.sessions.open(actor);
    // Secure when the request came over TLS (req.secure honours scim.trustProxy) or the public URL is
    // https (a TLS proxy in front); otherwise not, since a Secure cookie would never come back over
    // the plain-HTTP loopback a test or a sidecar proxy uses.
    res.cookie(SESSION_COOKIE, session.id, {
      httpOnly: true,
      sameSite: "strict",
      secure: req.secure || deps.sessions.secureCookie,
      path: "/",
      maxAge: deps.sessions.ttlMs,
    });
    await record(deps.audit, auditTypes.operatorSessionStarted, actor);
    const view: SessionView = {
      name: actor.name,
      role: actor.role,
      csrfToken: session.csrf,
      expiresAt: session.expiresAt,
    };
    res.status(201).json(view);
  });
  router.get("/", async (req, res) => {
    const actor = await authenticateAdmin(deps, req);
    const id = req.get("authorization") ? undefined : readCookie(req.get("cookie"), SESSION_COOKIE);
    const session = id ? await deps.sessions.find(id) : null;
    const view: SessionView = { name: actor.name, role: actor.role };
    if (session) Object.assign(view, { csrfToken: session.csrf, expiresAt: session.expiresAt });
    res.json(view);
  });
  router.delete("/", (req, res) => logout(deps, req, res));
  return router;
}

/** Ends the cookie's session (a write: it needs the CSRF header too); always clears the cookie. */
async function logout(deps: SessionRouteDeps, req: Request, res: Response): Promise<void> {
  const id = readCookie(req.get("cookie"), SESSION_COOKIE);
  const session = id ? await deps.sessions.find(id) : null;
  if (id && session) {
    if (req.get(CSRF_HEADER) !== session.csrf) throw csrfMissing();
    await deps.sessions.close(id);
    await record(deps.audit, auditTypes.operatorSessionEnded, session);
  }
  const secure = req.secure || deps.sessions.secureCookie;
  res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: "strict", secure, path: "/" });
  res.status(204).end();
}

async function record(audit: AuditSink, type: string, actor: AdminActor): Promise<void> {
  await audit.append({
    type,
    actor: auditActorOf(actor),
    subject: { kind: "admin_token", id: actor.tokenId },
    outcome: "success",
    data: { role: actor.role },
  });
}

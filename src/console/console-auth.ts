// The console's guard on top of the admin auth (src/admin/require-role.ts): the same admin tokens and
// session cookie, but answered as a browser expects — a page without a session goes to the login page,
// a role too low gets an HTML 403 — and the session's CSRF token handed to the page for htmx to echo.
import type { NextFunction, Request, Response } from "express";
import { AdminError } from "../admin/admin-error";
import { type AdminRole, roleAllows } from "../admin/admin-role";
import { type AdminAuthDeps, authenticateAdmin, readCookie, SESSION_COOKIE } from "../admin/require-role";
import { html } from "./html";
import { CONSOLE_BASE, notice, renderPage } from "./layout";

export function requireConsoleRole(auth: AdminAuthDeps, role: AdminRole) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    let actor: Awaited<ReturnType<typeof authenticateAdmin>>;
    try {
      actor = await authenticateAdmin(auth, req);
    } catch (err) {
      if (!(err instanceof AdminError)) throw err;
      refuse(req, res, err.status === 401 ? "login" : "csrf");
      return;
    }
    const id = readCookie(req.get("cookie"), SESSION_COOKIE);
    const session = id ? await auth.sessions.find(id) : null;
    if (session) res.locals.csrf = session.csrf;
    res.locals.actor = { name: actor.name, role: actor.role };
    if (!roleAllows(actor.role, role)) {
      refuse(req, res, "role", role);
      return;
    }
    next();
  };
}

function refuse(req: Request, res: Response, why: "login" | "csrf" | "role", role?: AdminRole): void {
  const fragment = req.get("hx-request") === "true";
  if (why === "login") {
    // htmx follows HX-Redirect; a plain navigation follows the 303.
    if (fragment) res.status(401).set("HX-Redirect", `${CONSOLE_BASE}/login`).send("");
    else res.redirect(303, `${CONSOLE_BASE}/login`);
    return;
  }
  const text =
    why === "csrf"
      ? "The request lacked this session's CSRF token; reload the page."
      : `This needs the ${role} role; your token has a lower one.`;
  if (fragment) res.status(403).type("html").send(notice("error", text).text);
  else
    res
      .status(403)
      .type("html")
      .send(renderPage({ title: "Not allowed" }, html`${notice("error", text)}`));
}

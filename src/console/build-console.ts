// The operator console, mounted at /console by keybridge itself: server-rendered HTML pages, made live
// with htmx. Why htmx rather than lit/preact: every page is a view of server state (ledger, queues,
// audit) that already lives behind src/operations, so rendering it on the server keeps one source of
// truth and no client-side copy of the domain; htmx (one 50 kB file, vendored from node_modules, no
// build step, no CDN) adds what the pages need — a board that re-fetches itself every 2 s and forms
// that post and swap a status line — as HTML attributes, so the pages stay plain, accessible
// documents that work with the keyboard and a screen reader, and the CSP can stay `default-src 'self'`
// (no inline script, no eval). A SPA would need a bundler, a JSON API per view and client state to keep
// in step, for no gain an operator would notice.
import { join } from "node:path";
import express, { type NextFunction, type Request, type Response, Router } from "express";
import type { AdminAuthDeps } from "../admin/require-role";
import { attentionPage } from "./attention-page";
import { auditExport, auditPage } from "./audit-page";
import { clearAttentionAction, closeWorkItemAction, reconcileAction } from "./console-actions";
import { requireConsoleRole } from "./console-auth";
import type { ConsoleDeps } from "./console-deps";
import {
  approveEmergencyAction,
  emergencyRevokeAction,
  liftSuspensionAction,
  rejectEmergencyAction,
} from "./emergency-revoke-action";
import { html } from "./html";
import { CONSOLE_BASE, notice, renderPage } from "./layout";
import { loginPage } from "./login-page";
import { pendingBoard, pendingPage } from "./pending-page";
import { personPage } from "./person-page";
import { personsPage } from "./persons-page";
import { planPage } from "./plan-page";
import { reportDownload, reportPage } from "./report-page";
import { systemsPage, systemsTableFragment } from "./systems-page";

export const CONSOLE_REQUEST_FAILED = "console request failed";

export const CONSOLE_CSP =
  "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'";

function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader("Content-Security-Policy", CONSOLE_CSP);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "no-referrer");
  // Pages show personal data and access state: never from a shared cache, never stale.
  res.setHeader("Cache-Control", "no-store");
  next();
}

function assets(): Router {
  const router = Router();
  const htmx = require.resolve("htmx.org/dist/htmx.min.js");
  router.get("/htmx.min.js", (_req, res) => res.type("js").sendFile(htmx));
  router.use(express.static(join(__dirname, "assets"), { index: false, fallthrough: false }));
  return router;
}

export function buildConsole(deps: ConsoleDeps, auth: AdminAuthDeps): Router {
  const app = Router();
  app.use(securityHeaders);
  app.use("/assets", assets());
  app.get("/login", loginPage());
  app.get("/", (_req, res) => res.redirect(303, `${CONSOLE_BASE}/persons`));
  const form = express.urlencoded({ extended: false, limit: "16kb", parameterLimit: 20 });
  const viewer = requireConsoleRole(auth, "viewer");
  const operator = requireConsoleRole(auth, "operator");
  app.get("/persons", viewer, personsPage(deps));
  app.get("/persons/:tenant/:id", viewer, personPage(deps));
  app.post("/persons/:tenant/:id/reconcile", operator, form, reconcileAction(deps));
  app.post("/persons/:tenant/:id/emergency-revoke", operator, form, emergencyRevokeAction(deps));
  app.post("/persons/:tenant/:id/lift", operator, form, liftSuspensionAction(deps));
  app.post("/emergency-revokes/approve", operator, form, approveEmergencyAction(deps));
  app.post("/emergency-revokes/reject", operator, form, rejectEmergencyAction(deps));
  app.get("/pending", viewer, pendingPage(deps));
  app.get("/pending/board", viewer, pendingBoard(deps));
  app.get("/attention", viewer, attentionPage(deps));
  app.post("/attention/clear", operator, form, clearAttentionAction(deps));
  app.post("/work-items/close", operator, form, closeWorkItemAction(deps));
  app.get("/systems", viewer, systemsPage(deps));
  app.get("/systems/table", viewer, systemsTableFragment(deps));
  app.get("/audit", viewer, auditPage(deps));
  app.get("/audit/export", viewer, auditExport(deps));
  app.get("/plan", viewer, planPage(deps));
  // A report is a read (an auditor may be a viewer), though producing one is audited.
  app.get("/report", viewer, reportPage(deps));
  app.get("/report/download", viewer, reportDownload(deps));
  app.use((_req, res) => {
    res
      .status(404)
      .type("html")
      .send(renderPage({ title: "Not found" }, html`<p>No such console page.</p>`));
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (err as { status?: unknown }).status;
    const client = typeof status === "number" && status >= 400 && status < 500;
    if (!client) deps.logger.error({ err }, CONSOLE_REQUEST_FAILED);
    if (res.headersSent) return void res.end();
    res.status(client ? status : 500).type("html");
    res.send(
      renderPage(
        { title: client ? "Bad request" : "Error" },
        notice("error", client ? "The request was malformed." : "Something went wrong; the error is logged."),
      ),
    );
  });
  return app;
}

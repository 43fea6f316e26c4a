// Admin API routes for admin tokens (admin role only): list, create (the secret is in the answer once),
// revoke. The same AdminTokens the CLI's `keybridge admin token` uses; both audit who did it.
import { Router } from "express";
import { isAdminRole } from "./admin-role";
import { auditActorOf } from "./admin-role";
import type { AdminContext } from "./admin-context";
import { invalidRequest, notFound } from "./admin-error";
import { actorOf, requireRole } from "./require-role";

export function tokenRoutes(ctx: AdminContext): Router {
  const r = Router();
  const admin = requireRole(ctx.auth, "admin");
  const { tokens } = ctx.auth;
  r.get("/admin-tokens", admin, async (_req, res) => {
    res.json({ tokens: await tokens.list() });
  });
  r.post("/admin-tokens", admin, async (req, res) => {
    const { name, role, reason } = (req.body ?? {}) as { name?: unknown; role?: unknown; reason?: unknown };
    if (typeof name !== "string" || name.trim() === "") throw invalidRequest("body needs a name");
    if (!isAdminRole(role)) throw invalidRequest("role must be viewer, operator or admin");
    const by = {
      actor: auditActorOf(actorOf(res)),
      ...(typeof reason === "string" && reason ? { reason } : {}),
    };
    res.status(201).json(await tokens.create(name.trim(), role, by));
  });
  r.delete("/admin-tokens/:id", admin, async (req, res) => {
    const reason = (req.body as { reason?: unknown } | undefined)?.reason;
    const by = {
      actor: auditActorOf(actorOf(res)),
      ...(typeof reason === "string" && reason ? { reason } : {}),
    };
    const revoked = await tokens.revoke(String(req.params.id), by);
    if (!revoked) throw notFound("No admin token with that id.");
    res.json({ revoked });
  });
  return r;
}

// Admin API routes across persons: the pending revocations board, needs-attention and work items,
// key systems and their queues, and the four-eyes emergency revoke requests.
import { Router } from "express";
import { listAttention } from "../operations/clear-attention";
import { completeWorkItem, listWorkItems } from "../operations/complete-work-item";
import {
  approveEmergencyRevoke,
  listPendingEmergencyRevokes,
  rejectEmergencyRevoke,
} from "../operations/four-eyes";
import { readKeySystemStatus } from "../operations/key-system-status";
import { OperatorSuspensions } from "../operations/operator-suspensions";
import { listPendingRevocations } from "../operations/pending-revocations";
import { resumeKeySystem } from "../operations/resume-key-system";
import { type AdminContext, operatorRequest, tenantParam, tenantsOf } from "./admin-context";
import { notFound } from "./admin-error";
import { requireRole } from "./require-role";

export function operationsRoutes(ctx: AdminContext): Router {
  const r = Router();
  const viewer = requireRole(ctx.auth, "viewer");
  const operator = requireRole(ctx.auth, "operator");
  const { core } = ctx;
  r.get("/tenants", viewer, (_req, res) => {
    res.json({
      tenants: core.config.tenants.map(({ id, displayName, kind }) => ({ id, displayName, kind })),
    });
  });
  r.get("/revocations/pending", viewer, async (req, res) => {
    res.json({ revocations: await listPendingRevocations(core, tenantsOf(ctx, req)) });
  });
  r.get("/attention", viewer, async (req, res) => {
    const flags = [];
    for (const tenant of tenantsOf(ctx, req))
      flags.push(...(await listAttention(core.ledger, tenant)).map((f) => ({ tenant, ...f })));
    res.json({ attention: flags });
  });
  r.get("/work-items", viewer, async (req, res) => {
    res.json({ workItems: await listWorkItems(core.ledger, tenantsOf(ctx, req)) });
  });
  r.post("/work-items/:id/close", operator, async (req, res) => {
    const target = { tenants: tenantsOf(ctx, req), id: String(req.params.id) };
    const closed = await completeWorkItem(core, target, operatorRequest(req, res));
    if (!closed) throw notFound("No open work item with that id.");
    res.json({ closed });
  });
  r.get("/key-systems", viewer, async (_req, res) => {
    res.json({ keySystems: await readKeySystemStatus(core.queues, core.configured, core.clock.now()) });
  });
  r.post("/key-systems/:system/resume", operator, async (req, res) => {
    const system = String(req.params.system);
    if (!core.queues.systems().includes(system)) throw notFound("Unknown key system.");
    res.json({ system, wasPaused: await resumeKeySystem(core, system, operatorRequest(req, res)) });
  });
  r.get("/tenants/:tenant/emergency-revokes", viewer, async (req, res) => {
    const tenant = tenantParam(ctx, req);
    const suspensions = new OperatorSuspensions(core.redis);
    const suspended = await Promise.all(
      (await suspensions.personIds(tenant)).map(async (personId) => ({
        personId,
        systems: await suspensions.get(tenant, personId),
      })),
    );
    res.json({ pending: await listPendingEmergencyRevokes(core, tenant), suspended });
  });
  r.post("/tenants/:tenant/emergency-revokes/:id/approve", operator, async (req, res) => {
    const target = { tenant: tenantParam(ctx, req), id: String(req.params.id) };
    res.status(202).json(await approveEmergencyRevoke(core, target, operatorRequest(req, res)));
  });
  r.post("/tenants/:tenant/emergency-revokes/:id/reject", operator, async (req, res) => {
    const target = { tenant: tenantParam(ctx, req), id: String(req.params.id) };
    res.json({ rejected: await rejectEmergencyRevoke(core, target, operatorRequest(req, res)) });
  });
  return r;
}

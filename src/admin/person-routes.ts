// Admin API routes about one tenant's persons: search, detail (per key system grants with state,
// exposureUntil, the rules and attribute values behind them), and the operator actions on a person —
// reconcile now, clear attention, emergency revoke (four-eyes when configured) and lifting it.
import { type Request, type Response, Router } from "express";
import { explainPerson } from "../mapping/explain-person";
import { clearAttention } from "../operations/clear-attention";
import { emergencyRevoke, liftSuspension } from "../operations/emergency-revoke";
import { requestEmergencyRevoke } from "../operations/four-eyes";
import { OperatorSuspensions } from "../operations/operator-suspensions";
import { requestReconcile } from "../operations/request-reconcile";
import { type PersonHit, searchPersons } from "../operations/search-persons";
import { readAccessStatus } from "../reconcile/read-access-status";
import { type AdminContext, operatorRequest, personParam, stringList, tenantParam } from "./admin-context";
import { notFound } from "./admin-error";
import { requireRole } from "./require-role";

const SEARCH_LIMIT = 50;

export function personRoutes(ctx: AdminContext): Router {
  const r = Router({ mergeParams: true });
  const viewer = requireRole(ctx.auth, "viewer");
  const operator = requireRole(ctx.auth, "operator");
  r.get("/tenants/:tenant/persons", viewer, (req, res) => searchPersonsRoute(ctx, req, res));
  r.get("/tenants/:tenant/persons/:id", viewer, (req, res) => personDetail(ctx, req, res));
  r.post("/tenants/:tenant/persons/:id/reconcile", operator, async (req, res) => {
    const tenant = tenantParam(ctx, req);
    const personId = await personParam(ctx, req, tenant);
    res.status(202).json(await requestReconcile(ctx.core, { tenant, personId }, operatorRequest(req, res)));
  });
  r.post("/tenants/:tenant/persons/:id/attention/clear", operator, async (req, res) => {
    const tenant = tenantParam(ctx, req);
    const personId = await personParam(ctx, req, tenant);
    const system = (req.body as { system?: unknown }).system;
    const target = typeof system === "string" ? { tenant, personId, system } : { tenant, personId };
    const cleared = await clearAttention(ctx.core, target, operatorRequest(req, res));
    res.json({ cleared });
  });
  r.post("/tenants/:tenant/persons/:id/emergency-revoke", operator, async (req, res) => {
    const tenant = tenantParam(ctx, req);
    const personId = await personParam(ctx, req, tenant);
    const request = operatorRequest(req, res);
    const systems = stringList((req.body as { systems?: unknown }).systems, "systems") ?? [];
    const lostKey = (req.body as { lostKey?: unknown }).lostKey === true;
    const target = { tenant, personId, systems, ...(lostKey ? { lostKey } : {}) };
    if (ctx.core.config.admin.fourEyes) {
      res.status(202).json({
        status: "awaiting_approval",
        request: await requestEmergencyRevoke(ctx.core, target, request),
      });
      return;
    }
    res.status(202).json({ status: "applied", ...(await emergencyRevoke(ctx.core, target, request)) });
  });
  r.post("/tenants/:tenant/persons/:id/lift-suspension", operator, async (req, res) => {
    const tenant = tenantParam(ctx, req);
    const personId = await personParam(ctx, req, tenant);
    const lifted = await liftSuspension(ctx.core, { tenant, personId }, operatorRequest(req, res));
    if (!lifted) throw notFound("The person has no emergency suspension.");
    res.json(lifted);
  });
  return r;
}

/** `?q=` matches an id or externalId exactly, a userName or displayName by prefix (operations/search-persons). */
async function searchPersonsRoute(ctx: AdminContext, req: Request, res: Response): Promise<void> {
  const tenant = tenantParam(ctx, req);
  const q = typeof req.query.q === "string" ? req.query.q : "";
  const hits = await searchPersons(ctx.core.store, [tenant], q, SEARCH_LIMIT);
  res.json({ persons: hits.map(summary), truncated: hits.length >= SEARCH_LIMIT });
}

function summary(user: Omit<PersonHit, "tenant">) {
  return {
    id: user.id,
    userName: user.userName,
    externalId: user.externalId ?? null,
    displayName: user.displayName ?? null,
    active: user.active,
  };
}

/** access status (ledger per key system) + access explain (rules and attribute values) + suspension. */
async function personDetail(ctx: AdminContext, req: Request, res: Response): Promise<void> {
  const tenant = tenantParam(ctx, req);
  const personId = await personParam(ctx, req, tenant);
  const { core } = ctx;
  const status = await readAccessStatus(core, tenant, personId);
  const person = await core.store.getPerson(tenant, personId);
  const explanation = person
    ? explainPerson(
        { user: person.user, groups: person.groups },
        tenant,
        core.mappings.current,
        core.clock.now(),
      )
    : null;
  const suspension = await new OperatorSuspensions(core.redis).get(tenant, personId);
  res.json({ person: person ? summary(person.user) : null, status, explanation, suspension });
}

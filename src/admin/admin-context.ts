// What the admin API's route files share: the process core, admin auth, and small request helpers
// (known tenant, existing person, mandatory reason) that answer 400/404 the same way everywhere.
import type { Request, Response } from "express";
import type { OperatorRequest } from "../operations/operator-request";
import { resolvePerson } from "../operations/resolve-person";
import type { Core } from "../runtime/build-core";
import { auditActorOf } from "./admin-role";
import { invalidRequest, notFound } from "./admin-error";
import { actorOf, type AdminAuthDeps } from "./require-role";

export interface AdminContext {
  core: Core;
  auth: AdminAuthDeps;
}

/** The :tenant of the path when the configuration knows it; 404 otherwise. */
export function tenantParam(ctx: AdminContext, req: Request): string {
  const tenant = String(req.params.tenant ?? "");
  if (!ctx.core.config.tenants.some((t) => t.id === tenant)) throw notFound("Unknown tenant.");
  return tenant;
}

/** The tenant named in the query, or every configured tenant. */
export function tenantsOf(ctx: AdminContext, req: Request): string[] {
  const all = ctx.core.config.tenants.map((t) => t.id);
  const wanted = typeof req.query.tenant === "string" ? req.query.tenant : undefined;
  if (wanted === undefined) return all;
  if (!all.includes(wanted)) throw notFound("Unknown tenant.");
  return [wanted];
}

/** The :id of the path as a person id (by id or userName, like the CLI); 404 when unknown. */
export async function personParam(ctx: AdminContext, req: Request, tenant: string): Promise<string> {
  const personId = await resolvePerson(ctx.core.store, tenant, String(req.params.id ?? ""));
  if (!personId) throw notFound("Unknown person.");
  return personId;
}

/** Who acts and why: the caller's token name and the body's mandatory `reason`. */
export function operatorRequest(req: Request, res: Response): OperatorRequest {
  const reason = (req.body as { reason?: unknown } | undefined)?.reason;
  if (typeof reason !== "string" || reason.trim() === "")
    throw invalidRequest("body needs a non-empty reason");
  return { actor: auditActorOf(actorOf(res)), reason };
}

/** A string[] body field, or undefined when absent; 400 for anything else. */
export function stringList(value: unknown, field: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string"))
    throw invalidRequest(`${field} must be a list of strings`);
  return value as string[];
}

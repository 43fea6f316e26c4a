// Shared HTTP plumbing of the SCIM routes: per-request context, SCIM responses, list parameters,
// ETag/If-Match, and the one call to the provisioning seam per committed request.
import type { Request, Response } from "express";
import type { Config, TenantConfig } from "../config/config-schema";
import type { Logger } from "../log/logger";
import type { PersonChange } from "../store/directory-change";
import type { DirectoryChange, DirectoryChangeHook } from "../store/directory-change";
import type { DirectoryStore, WriteContext, WriteResult } from "../store/directory-store-api";
import { attributeList, type Projection } from "./project-resource";
import { ScimError } from "./scim-error";

export const SCIM_CONTENT_TYPE = "application/scim+json; charset=utf-8";
export const LOG_HOOK_FAILED = "directory change hook failed; the dirty set will replay it";

export interface ScimDeps {
  config: Config;
  store: DirectoryStore;
  logger: Logger;
  onDirectoryChange: DirectoryChangeHook;
  clock: () => Date;
}

export interface ScimContext {
  tenant: TenantConfig;
  correlationId: string;
  /** `https://host/scim/v2/<tenant>`, for meta.location. */
  base: string;
}

export function contextOf(res: Response): ScimContext {
  return res.locals.scim as ScimContext;
}

/**
 * Writes through node:http directly rather than Express's res.send: its content negotiation, freshness
 * and ETag machinery do nothing for SCIM (our ETag is meta.version) and cost ~8% of a request's CPU.
 */
export function sendScim(res: Response, status: number, body?: unknown, version?: string): void {
  res.statusCode = status;
  if (version) res.setHeader("ETag", version);
  if (body === undefined) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.setHeader("Content-Type", SCIM_CONTENT_TYPE);
  res.setHeader("Content-Length", Buffer.byteLength(text));
  res.end(text);
}

/** If-Match (RFC 7644 §3.14); `*` means any version and is the same as no precondition. */
export function ifMatchOf(req: Request): string | undefined {
  const value = req.get("if-match");
  return value && value.trim() !== "*" ? value.trim() : undefined;
}

export interface ListParams extends Projection {
  filter?: string;
  startIndex: number;
  count: number;
}

function integer(raw: unknown): number | undefined {
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (typeof text === "number") return Number.isInteger(text) ? text : undefined;
  if (typeof text !== "string" || !/^-?\d+$/.test(text.trim())) return undefined;
  // Clamped so that `startIndex=1e400` written out in digits stays a number, never Infinity → JSON null.
  const value = Number.parseInt(text, 10);
  return Math.min(Number.MAX_SAFE_INTEGER, Math.max(Number.MIN_SAFE_INTEGER, value));
}

function single(raw: unknown): string | undefined {
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === "string" ? value : undefined;
}

/**
 * Paging per RFC 7644 §3.4.2.4: startIndex < 1 is 1; count < 0 is 0; count is capped at maxPageSize
 * (advertised as filter.maxResults). Works on the query string and on a /.search body alike.
 */
export function listParams(source: Record<string, unknown>, config: Config): ListParams {
  const startIndex = Math.max(1, integer(source.startIndex) ?? 1);
  const requested = integer(source.count);
  const count = Math.min(config.scim.maxPageSize, Math.max(0, requested ?? config.scim.maxPageSize));
  const params: ListParams = { startIndex, count };
  const filter = single(source.filter);
  if (filter !== undefined) params.filter = filter;
  const attributes = attributeList(source.attributes);
  const excluded = attributeList(source.excludedAttributes);
  if (attributes) params.attributes = attributes;
  if (excluded) params.excludedAttributes = excluded;
  if (integer(source.count) === undefined && source.count !== undefined)
    throw new ScimError(400, "invalidValue", "count must be an integer.");
  return params;
}

export function projectionOf(query: Record<string, unknown>): Projection {
  const projection: Projection = {};
  const attributes = attributeList(single(query.attributes));
  const excluded = attributeList(single(query.excludedAttributes));
  if (attributes) projection.attributes = attributes;
  if (excluded) projection.excludedAttributes = excluded;
  return projection;
}

/** Collects the PersonChanges of every store write of one request. */
export class ChangeCollector {
  readonly changes: PersonChange[] = [];
  add(changes: PersonChange[]): void {
    this.changes.push(...changes);
  }
}

/** Calls the seam exactly once when the request changed anything (directory-change.ts). */
export async function reportChanges(
  deps: ScimDeps,
  ctx: ScimContext,
  what: Pick<DirectoryChange, "resourceType" | "resourceId" | "operation">,
  collector: ChangeCollector,
): Promise<void> {
  if (collector.changes.length === 0) return;
  const change: DirectoryChange = {
    tenant: ctx.tenant.id,
    correlationId: ctx.correlationId,
    ...what,
    persons: collector.changes,
    at: deps.clock().toISOString(),
  };
  try {
    await deps.onDirectoryChange(change);
  } catch (err) {
    // The write is committed and the person is in the dirty set; the reconciler's replay covers it.
    deps.logger.error({ err, tenant: ctx.tenant.id, correlationId: ctx.correlationId }, LOG_HOOK_FAILED);
  }
}

export function writeContext(
  ctx: ScimContext,
  ifMatch?: string,
): { correlationId: string; ifMatch?: string } {
  return ifMatch ? { correlationId: ctx.correlationId, ifMatch } : { correlationId: ctx.correlationId };
}

/** DELETE /Users/:id and /Groups/:id: one store call, the seam once, 204 (RFC 7644 §3.6). */
export function deleteHandler(
  deps: ScimDeps,
  resourceType: DirectoryChange["resourceType"],
  remove: (tenant: string, id: string, ctx: WriteContext) => Promise<WriteResult<null>>,
) {
  return async (req: Request, res: Response): Promise<void> => {
    const ctx = contextOf(res);
    const id = String(req.params.id);
    const collector = new ChangeCollector();
    collector.add((await remove(ctx.tenant.id, id, writeContext(ctx, ifMatchOf(req)))).changes);
    await reportChanges(deps, ctx, { resourceType, resourceId: id, operation: "delete" }, collector);
    sendScim(res, 204);
  };
}

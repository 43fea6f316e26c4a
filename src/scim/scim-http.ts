// Shared HTTP plumbing of the SCIM routes: per-request context, SCIM responses, list parameters,
// ETag/If-Match, and the one call to the provisioning seam per committed request.
import type { Request, Response } from "express";
import type { Config, TenantConfig } from "../config/config-schema";
import type { Logger } from "../log/logger";
import type { PersonChange } from "../store/directory-change";
import type { DirectoryChange, DirectoryChangeHook } from "../store/directory-change";
import type { DirectoryStore, WriteContext, WriteResult } from "../store/directory-store-api";
import { type AttributeScope, resolveAttributePath } from "./attribute-catalog";
import { EXTENSION_URNS } from "./patch-path";
import { attributeList, type Projection } from "./project-resource";
import { ScimError } from "./scim-error";
import { stringifyInSlices } from "../store/stringify-in-slices";

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

/**
 * sendScim for bodies that can run to many megabytes (list pages, a group with 200,000 members):
 * stringified and encoded in slices (issue #9 item 3), then written as bytes.
 */
export async function sendScimInSlices(
  res: Response,
  status: number,
  body: unknown,
  version?: string,
): Promise<void> {
  const bytes = await stringifyInSlices(body);
  res.statusCode = status;
  if (version) res.setHeader("ETag", version);
  res.setHeader("Content-Type", SCIM_CONTENT_TYPE);
  res.setHeader("Content-Length", bytes.length);
  res.end(bytes);
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

/** Largest startIndex served: beyond any directory, and a safe integer for Redis and JSON alike. */
export const MAX_START_INDEX = 2_147_483_647;

/** An integer as sent, or ±Infinity for one too large to represent (`1e400`, 400 digits); else undefined. */
function integer(raw: unknown): number | undefined {
  const text = Array.isArray(raw) ? raw[0] : raw;
  if (typeof text === "number") return Number.isInteger(text) || !Number.isFinite(text) ? text : undefined;
  if (typeof text !== "string") return undefined;
  const trimmed = text.trim();
  if (/^[-+]?\d+$/.test(trimmed)) return Number.parseInt(trimmed, 10);
  // An exponent form that is still a whole number (`1e400`, `2E3`): clamped below like any large value.
  if (/^[-+]?\d+(?:\.\d+)?[eE]\+?\d+$/.test(trimmed)) {
    const value = Number(trimmed);
    return Number.isInteger(value) || !Number.isFinite(value) ? value : undefined;
  }
  return undefined;
}

function single(raw: unknown): string | undefined {
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === "string" ? value : undefined;
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

/**
 * `attributes`/`excludedAttributes` in attribute notation (RFC 7644 §3.10, §3.4.2.5): at most
 * scim.limits.attributesMax entries, each resolved against the schemas (attribute-catalog.ts).
 */
function attributePaths(raw: unknown, config: Config, scope: AttributeScope): string[] | undefined {
  const list = attributeList(raw);
  if (!list) return undefined;
  const max = config.scim.limits.attributesMax;
  if (list.length > max)
    throw new ScimError(400, "invalidValue", `At most ${max} entries in attributes or excludedAttributes.`);
  for (const path of list) {
    if (path.includes("["))
      throw new ScimError(
        400,
        "invalidValue",
        "attributes and excludedAttributes take attribute names (RFC 7644 §3.10), not value filters; " +
          'select elements with filter=emails[type eq "work"] instead.',
      );
    // A whole extension (`urn:…:enterprise:2.0:User`) is a valid attribute name here (RFC 7644 §3.10).
    if (!EXTENSION_URNS.some((urn) => urn.toLowerCase() === path.toLowerCase()))
      resolveAttributePath(path, scope, "invalidValue");
  }
  return list;
}

/**
 * Paging per RFC 7644 §3.4.2.4: startIndex < 1 is 1; count < 0 is 0; count is capped at maxPageSize
 * (advertised as filter.maxResults), startIndex at MAX_START_INDEX. Works on the query string and on a
 * /.search body alike. `sortBy` is checked like an attribute and otherwise ignored (sort.supported is false).
 */
export function listParams(
  source: Record<string, unknown>,
  config: Config,
  scope: AttributeScope,
): ListParams {
  const startIndex = clamp(integer(source.startIndex) ?? 1, 1, MAX_START_INDEX);
  const requested = integer(source.count);
  if (requested === undefined && source.count !== undefined)
    throw new ScimError(400, "invalidValue", "count must be an integer.");
  const count = clamp(requested ?? config.scim.maxPageSize, 0, config.scim.maxPageSize);
  const params: ListParams = { startIndex, count };
  const filter = single(source.filter);
  if (filter !== undefined) params.filter = filter;
  const attributes = attributePaths(source.attributes, config, scope);
  const excluded = attributePaths(source.excludedAttributes, config, scope);
  if (attributes) params.attributes = attributes;
  if (excluded) params.excludedAttributes = excluded;
  checkSortBy(source, scope);
  return params;
}

/** sortBy names an attribute too: checked, then ignored, on lists and single reads alike. */
function checkSortBy(source: Record<string, unknown>, scope: AttributeScope): void {
  const sortBy = single(source.sortBy);
  if (sortBy !== undefined && sortBy.trim() !== "")
    resolveAttributePath(sortBy.trim(), scope, "invalidValue");
}

export function projectionOf(
  query: Record<string, unknown>,
  config: Config,
  scope: AttributeScope,
): Projection {
  const projection: Projection = {};
  const attributes = attributePaths(single(query.attributes), config, scope);
  const excluded = attributePaths(single(query.excludedAttributes), config, scope);
  if (attributes) projection.attributes = attributes;
  if (excluded) projection.excludedAttributes = excluded;
  checkSortBy(query, scope);
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

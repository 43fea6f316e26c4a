// The steps every SCIM request passes before its route: correlation id, tenant, then bearer token and
// rate limit in one Redis step; and the error handler that renders every failure as a SCIM Error
// (RFC 7644 §3.12).
import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import type { Config } from "../config/config-schema";
import type { Logger } from "../log/logger";
import { WarnLimiter } from "../log/warn-limiter";
import type { AuthFailureLimiter } from "./auth-failure-limiter";
import { classifyError } from "./classify-error";
import { type RateLimiter, rateLimitFor } from "./rate-limiter";
import { renderScimError, ScimError } from "./scim-error";
import { requestOrigin } from "./request-origin";
import { type ScimContext, sendScim } from "./scim-http";
import { tokenHash } from "./tenant-tokens";

export const LOG_REQUEST_FAILED = "scim request failed";
export const LOG_REQUEST_REJECTED = "scim request rejected";
const CORRELATION_ID = /^[\w.:@/+=-]{1,128}$/;

/** x-request-id from the client when it is sane, else a fresh UUID; echoed on the response. */
export function correlationId(req: Request): string {
  const sent = req.get("x-request-id");
  return sent && CORRELATION_ID.test(sent) ? sent : randomUUID();
}

/**
 * Stands in for a tenant id that is not configured: it cannot be a tenant id (config-schema.ts), so no
 * token exists for it and the admission step answers "unauthorized" at the same cost as a wrong token.
 */
const UNKNOWN_TENANT = "-";

export function resolveTenant(config: Config) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const id = correlationId(req);
    res.setHeader("x-request-id", id);
    const known = config.tenants.find((t) => t.id === req.params.tenant);
    // An unknown tenant goes on to authentication and fails exactly like a wrong token: 401, same body,
    // same Redis step, so the answer never tells a caller without a token which tenants exist.
    const tenant = known ?? { id: UNKNOWN_TENANT, displayName: "", kind: "generic" as const };
    const context: ScimContext = {
      tenant,
      correlationId: id,
      base: `${requestOrigin(req, config)}/scim/v2/${tenant.id}`,
    };
    res.locals.scim = context;
    next();
  };
}

/** Accepts `Bearer <token>` and, for Okta admins who paste the word in or leave it out, the bare token. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^\s*bearer\s+(.+?)\s*$/i.exec(header);
  const token = match?.[1] ?? header.trim();
  return token === "" ? undefined : token;
}

/** One realm for every tenant: naming the tenant would tell a caller which ones exist. */
function unauthorized(res: Response): ScimError {
  res.setHeader("WWW-Authenticate", 'Bearer realm="keybridge"');
  return new ScimError(401, undefined, "Missing or invalid bearer token.");
}

function tooManyFailures(res: Response, retryAfterSeconds: number): ScimError {
  res.setHeader("Retry-After", String(retryAfterSeconds));
  return new ScimError(429, undefined, "Too many unauthenticated requests from this address; retry later.");
}

/**
 * Bearer token, then the tenant's rate limit, checked in one Redis step (rate-limiter.ts): a request
 * with a missing or unknown token is 401 and costs the tenant's budget nothing. Requests that fail
 * authentication also spend from an in-process budget per source address (`req.ip`, which honours
 * scim.trustProxy); once it is empty they are 429 before any Redis work. `prefetch` (prefetch-user.ts)
 * starts the route's first read in the same turn, so it shares the admission step's Redis round trip.
 */
export function admitRequest(
  config: Config,
  limiter: RateLimiter,
  failures: AuthFailureLimiter,
  clock: () => Date,
  prefetch?: (req: Request, tenant: string) => void,
) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const address = req.ip ?? "unknown";
    const token = bearerToken(req.get("authorization"));
    const { tenant } = res.locals.scim as ScimContext;
    const hash = token ? tokenHash(token) : undefined;
    const known = hash !== undefined && failures.isKnown(`${tenant.id}|${hash}`);
    // Over budget: only a token that authenticated recently is still checked (failed guesses are not).
    const wait = known ? 0 : failures.retryAfterSeconds(address);
    if (wait > 0) throw tooManyFailures(res, wait);
    if (hash === undefined) {
      failures.recordFailure(address);
      throw unauthorized(res);
    }
    const admission = limiter.admit(tenant.id, hash, rateLimitFor(config, tenant.id));
    if (tenant.id !== UNKNOWN_TENANT) prefetch?.(req, tenant.id);
    const decision = await admission;
    if (decision === "unauthorized") {
      failures.forget(`${tenant.id}|${hash}`);
      failures.recordFailure(address);
      throw unauthorized(res);
    }
    failures.rememberAuthenticated(`${tenant.id}|${hash}`);
    // Header names SailPoint's SCIM 2.0 connector reads (scim-clients.md §2.3 "Throttling");
    // reset is the Unix time (seconds) at which the bucket is full again.
    res.setHeader("x-rate-limit-limit", String(decision.limit));
    res.setHeader("x-rate-limit-remaining", String(decision.remaining));
    res.setHeader("x-rate-limit-reset", String(Math.ceil(clock().getTime() / 1000) + decision.resetSeconds));
    if (!decision.allowed) {
      res.setHeader("Retry-After", String(decision.retryAfterSeconds));
      res.setHeader("x-rate-limit-retry-after-seconds", String(decision.retryAfterSeconds));
      throw new ScimError(429, undefined, "Too many requests for this tenant; retry after the given delay.");
    }
    next();
  };
}

export function notFound(_req: Request, _res: Response): void {
  throw new ScimError(404, undefined, "Unknown SCIM endpoint.");
}

/**
 * Internal failures are logged at error with their stack (serializers strip request data, logger.ts);
 * the client's own errors at warn, without stack or detail (SCIMMY's details can quote values), at
 * most once per status and scimType every 10 s (warn-limiter.ts).
 */
export function renderErrors(logger: Logger, clock: () => Date = () => new Date()) {
  const warnings = new WarnLimiter(logger, 10_000, () => clock().getTime());
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const { error, internal } = classifyError(err);
    const scim = res.locals.scim as ScimContext | undefined;
    const fields = {
      tenant: scim?.tenant.id,
      correlationId: scim?.correlationId,
      method: req.method,
      status: error.status,
    };
    if (internal) logger.error({ err, ...fields }, LOG_REQUEST_FAILED);
    else
      warnings.warn(
        `${error.status}:${error.scimType ?? ""}`,
        { ...fields, scimType: error.scimType },
        LOG_REQUEST_REJECTED,
      );
    if (res.headersSent) return;
    sendScim(res, error.status, renderScimError(error));
  };
}

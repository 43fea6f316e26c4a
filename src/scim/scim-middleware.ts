// The steps every SCIM request passes before its route: correlation id, tenant, then bearer token and
// rate limit in one Redis step; and the error handler that renders every failure as a SCIM Error
// (RFC 7644 §3.12).
import { randomUUID } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import type { Config } from "../config/config-schema";
import type { Logger } from "../log/logger";
import { classifyError } from "./classify-error";
import { type RateLimiter, rateLimitFor } from "./rate-limiter";
import { renderScimError, ScimError } from "./scim-error";
import { type ScimContext, sendScim } from "./scim-http";
import { tokenHash } from "./tenant-tokens";

export const LOG_REQUEST_FAILED = "scim request failed";
const CORRELATION_ID = /^[\w.:@/+=-]{1,128}$/;

/** x-request-id from the client when it is sane, else a fresh UUID; echoed on the response. */
export function correlationId(req: Request): string {
  const sent = req.get("x-request-id");
  return sent && CORRELATION_ID.test(sent) ? sent : randomUUID();
}

export function resolveTenant(config: Config) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const id = correlationId(req);
    res.setHeader("x-request-id", id);
    const tenant = config.tenants.find((t) => t.id === req.params.tenant);
    if (!tenant) throw new ScimError(404, undefined, "Unknown tenant.");
    const base = `${config.publicBaseUrl ?? `${req.protocol}://${req.get("host") ?? "localhost"}`}`;
    const context: ScimContext = {
      tenant,
      correlationId: id,
      base: `${base.replace(/\/$/, "")}/scim/v2/${tenant.id}`,
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

function unauthorized(res: Response, tenant: string): ScimError {
  res.setHeader("WWW-Authenticate", `Bearer realm="keybridge/${tenant}"`);
  return new ScimError(401, undefined, "Missing or invalid bearer token.");
}

/**
 * Bearer token, then the tenant's rate limit, checked in one Redis step (rate-limiter.ts): a request
 * with a missing or unknown token is 401 and costs the tenant's budget nothing.
 */
export function admitRequest(config: Config, limiter: RateLimiter, clock: () => Date) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const token = bearerToken(req.get("authorization"));
    const { tenant } = res.locals.scim as ScimContext;
    if (!token) throw unauthorized(res, tenant.id);
    const decision = await limiter.admit(tenant.id, tokenHash(token), rateLimitFor(config, tenant.id));
    if (decision === "unauthorized") throw unauthorized(res, tenant.id);
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

export function renderErrors(logger: Logger) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const { error, internal } = classifyError(err);
    const scim = res.locals.scim as ScimContext | undefined;
    if (internal)
      logger.error(
        {
          err,
          tenant: scim?.tenant.id,
          correlationId: scim?.correlationId,
          method: req.method,
          status: error.status,
        },
        LOG_REQUEST_FAILED,
      );
    if (res.headersSent) return;
    sendScim(res, error.status, renderScimError(error));
  };
}

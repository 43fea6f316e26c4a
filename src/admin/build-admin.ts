// Builds the admin API router, mounted at /admin beside (never inside) /scim/v2: its own JSON body
// parser, its own auth (admin tokens and sessions, require-role.ts), JSON errors `{error, code}`.
import express, { Router } from "express";
import type { RedisClient } from "../store/create-redis-client";
import type { AuditSink } from "../audit/audit-event";
import type { Config } from "../config/config-schema";
import type { Logger } from "../log/logger";
import { notFound, renderAdminErrors } from "./admin-error";
import { adminOpenApiDocument } from "./openapi-document";
import { AdminSessions } from "./admin-sessions";
import { AdminTokens } from "./admin-tokens";
import type { AdminAuthDeps } from "./require-role";
import { sessionRoutes } from "./session-routes";

/** The bodies an admin request carries are small: a token, a reason, a filter. */
const ADMIN_BODY_LIMIT = "64kb";

/** Admin tokens and sessions on one Redis connection: what requireRole and the console need. */
export function createAdminAuth(config: Config, redis: RedisClient, audit: AuditSink): AdminAuthDeps {
  return {
    tokens: new AdminTokens({ redis, audit }),
    sessions: new AdminSessions({
      redis,
      ttlMs: config.admin.sessionTtlMs,
      // Behind a TLS proxy the request itself is plain HTTP (req.secure is false without trustProxy).
      secureCookie: config.publicBaseUrl?.startsWith("https:") ?? false,
    }),
  };
}

export interface AdminDeps {
  auth: AdminAuthDeps;
  audit: AuditSink;
  logger: Logger;
  /** Adds the /v1 routes behind the session routes (admin-routes.ts); tests may give fewer. */
  routes?: (v1: Router) => void;
}

export function buildAdmin(deps: AdminDeps): Router {
  const admin = Router();
  admin.use(express.json({ limit: ADMIN_BODY_LIMIT }));
  // Admin answers carry personal data: no shared cache may keep them.
  admin.use((_req, res, next) => {
    res.setHeader("Cache-Control", "no-store");
    next();
  });
  const v1 = Router();
  const document = adminOpenApiDocument();
  v1.get("/openapi.json", (_req, res) => {
    res.json(document);
  });
  v1.use("/session", sessionRoutes({ ...deps.auth, audit: deps.audit }));
  deps.routes?.(v1);
  admin.use("/v1", v1);
  admin.use(() => {
    throw notFound("Unknown admin endpoint.");
  });
  admin.use(renderAdminErrors(deps.logger));
  return admin;
}

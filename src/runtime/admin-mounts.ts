// The routers the API process mounts beside SCIM: the admin API (/admin), the console (/console) and
// /metrics on the shared core. Kept out of start-api.ts so the admin side's composition reads in one
// place.
import type { Router } from "express";
import type { AdminContext } from "../admin/admin-context";
import { auditRoutes } from "../admin/audit-routes";
import { buildAdmin, createAdminAuth } from "../admin/build-admin";
import { operationsRoutes } from "../admin/operations-routes";
import { personRoutes } from "../admin/person-routes";
import { reportRoutes } from "../admin/report-routes";
import type { AdminAuthDeps } from "../admin/require-role";
import { tokenRoutes } from "../admin/token-routes";
import { buildConsole } from "../console/build-console";
import { metricsRoute } from "../metrics/metrics-route";
import type { ReloadResult } from "../mapping/mapping-holder";
import type { Core } from "./build-core";

export const METRICS_SECRET_MISSING =
  "metrics.tokenSecret names a secret that is not set: every scrape is refused";

export interface AdminMounts {
  /** Admin tokens and sessions: what requireRole (and the console) authenticate against. */
  auth: AdminAuthDeps;
  mounts: Array<{ path: string; router: Router }>;
}

/** The /admin/v1 routes of a context (also what the OpenAPI truth test walks). */
export function adminV1Routes(ctx: AdminContext): (v1: Router) => void {
  return (v1) => {
    v1.use(personRoutes(ctx));
    v1.use(operationsRoutes(ctx));
    v1.use(auditRoutes(ctx));
    v1.use(reportRoutes(ctx));
    v1.use(tokenRoutes(ctx));
  };
}

export function adminMounts(core: Core, options: { reload?: () => Promise<ReloadResult> } = {}): AdminMounts {
  const auth = createAdminAuth(core.config, core.redis, core.audit);
  const mounts: AdminMounts["mounts"] = [];
  if (core.config.admin.enabled) {
    const routes = adminV1Routes({ core, auth, ...(options.reload ? { reload: options.reload } : {}) });
    mounts.push({
      path: "/admin",
      router: buildAdmin({ auth, audit: core.audit, logger: core.logger, routes }),
    });
    // The console signs in through the admin API's session endpoint, so it is served only beside it.
    mounts.push({ path: "/console", router: buildConsole(core, auth) });
  }
  const { metrics } = core.config;
  if (metrics.enabled) {
    const token = metrics.tokenSecret === undefined ? undefined : core.config.secrets[metrics.tokenSecret];
    if (metrics.tokenSecret !== undefined && token === undefined)
      core.logger.error({ secret: metrics.tokenSecret }, METRICS_SECRET_MISSING);
    const router = metricsRoute(core.metrics, token, metrics.tokenSecret !== undefined);
    mounts.push({ path: "/metrics", router });
  }
  return { auth, mounts };
}

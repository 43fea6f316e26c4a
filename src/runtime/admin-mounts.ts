// The routers the API process mounts beside SCIM: the admin API (/admin) and the console (/console) on
// the shared core. Kept out of start-api.ts so the composition of the admin side reads in one place.
import type { Router } from "express";
import { buildAdmin, createAdminAuth } from "../admin/build-admin";
import { buildConsole } from "../console/build-console";
import type { AdminAuthDeps } from "../admin/require-role";
import type { Core } from "./build-core";

export interface AdminMounts {
  /** Admin tokens and sessions: what requireRole (and the console) authenticate against. */
  auth: AdminAuthDeps;
  mounts: Array<{ path: string; router: Router }>;
}

export function adminMounts(core: Core): AdminMounts {
  const auth = createAdminAuth(core.config, core.redis, core.audit);
  const mounts: AdminMounts["mounts"] = [];
  if (core.config.admin.enabled) {
    mounts.push({ path: "/admin", router: buildAdmin({ auth, audit: core.audit, logger: core.logger }) });
    // The console signs in through the admin API's session endpoint, so it is served only beside it.
    mounts.push({ path: "/console", router: buildConsole(core, auth) });
  }
  return { auth, mounts };
}

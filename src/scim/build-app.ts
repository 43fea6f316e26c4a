// Builds the SCIM 2.0 HTTP edge as an Express 5 app; it never listens (main wiring and tests do).
import express, { type Express, type Router as ExpressRouter, Router } from "express";
import type { RedisClient } from "../store/create-redis-client";
import type { Config } from "../config/config-schema";
import type { Logger } from "../log/logger";
import type { Metrics } from "../metrics/metrics";
import { scimRequestMetrics } from "../metrics/scim-request-metrics";
import type { DirectoryChangeHook } from "../store/directory-change";
import type { DirectoryStore } from "../store/directory-store-api";
import { discoveryRoutes } from "./discovery-routes";
import { groupRoutes } from "./group-routes";
import { AuthFailureLimiter } from "./auth-failure-limiter";
import { RateLimiter } from "./rate-limiter";
import { requestLog } from "./request-log";
import { admitRequest, notFound, renderErrors, resolveTenant } from "./scim-middleware";
import { type ScimDeps, sendScim } from "./scim-http";
import { prepareScimmy } from "./scimmy-port";
import { readJsonBody } from "./read-json-body";
import { prefetchUser } from "./prefetch-user";
import { searchAll } from "./search-all";
import { userRoutes } from "./user-routes";

export interface AppDeps {
  config: Config;
  /** The request-path client (fail-fast options): tokens and the rate-limit bucket. */
  redis: RedisClient;
  store: DirectoryStore;
  logger: Logger;
  onDirectoryChange: DirectoryChangeHook;
  clock?: () => Date;
  /** IdP push receivers (signals/hook-routes.ts), mounted at /hooks outside the SCIM router. */
  hooks?: ExpressRouter;
  /** What /readyz checks (runtime/readiness.ts); without it, only that Redis answers. */
  readiness?: () => Promise<{ ready: boolean }>;
  /** The process's metrics (src/metrics/): SCIM requests are counted when given. */
  metrics?: Metrics;
  /** Routers beside SCIM, each with its own auth: the admin API at /admin, /metrics (start-api.ts). */
  mounts?: Array<{ path: string; router: Router }>;
}

export function buildApp(deps: AppDeps): Express {
  const clock = deps.clock ?? (() => new Date());
  prepareScimmy(); // schema redefinitions happen once, before the first request

  const scimDeps: ScimDeps = {
    config: deps.config,
    store: deps.store,
    logger: deps.logger,
    onDirectoryChange: deps.onDirectoryChange,
    clock,
  };
  const app = express();
  app.disable("x-powered-by");
  app.disable("etag"); // our ETag is meta.version, not a body hash
  // X-Forwarded-* are client input unless a proxy of ours sets them (config scim.trustProxy).
  app.set("trust proxy", deps.config.scim.trustProxy);
  app.use(requestLog(deps.logger));

  // Liveness: the process is up and its event loop answers; nothing a restart would fix is checked.
  app.get("/healthz", (_req, res) => {
    res.status(200).json({ status: "ok" });
  });
  // Readiness: Redis answers, workers run (worker role), no key system paused (runtime/readiness.ts).
  app.get("/readyz", async (_req, res) => {
    const report = deps.readiness
      ? await deps.readiness()
      : await deps.redis.ping().then(
          () => ({ ready: true }),
          () => ({ ready: false }),
        );
    res.status(report.ready ? 200 : 503).json({ status: report.ready ? "ready" : "not_ready", ...report });
  });

  const scim = Router({ mergeParams: true });
  scim.use(resolveTenant(deps.config));
  const failures = new AuthFailureLimiter(deps.config.scim.authFailureLimit, () => clock().getTime());
  scim.use(
    admitRequest(deps.config, new RateLimiter(deps.redis), failures, clock, prefetchUser(scimDeps.store)),
  );
  const bodyLimits = {
    maxNestingDepth: deps.config.scim.limits.nestingMaxDepth,
    maxStringLength: deps.config.scim.limits.stringMaxLength,
  };
  // A group POST/PUT may carry every member (Okta AIW apps): it alone gets the larger limit, so every
  // other request's parse stays short. body-parser skips a body already read, so the general reader
  // after it leaves these requests alone.
  const groupBodies = Router();
  const groupBody = readJsonBody({ ...bodyLimits, maxBodyBytes: deps.config.scim.maxGroupBodyBytes });
  groupBodies.post("/", groupBody);
  groupBodies.put("/:id", groupBody);
  scim.use("/Groups", groupBodies);
  scim.use(readJsonBody({ ...bodyLimits, maxBodyBytes: deps.config.scim.maxBodyBytes }));
  // Users and Groups first: nearly every request is for them, and each router passed costs a match.
  scim.use("/Users", userRoutes(scimDeps));
  scim.use("/Groups", groupRoutes(scimDeps));
  scim.use(discoveryRoutes(scimDeps));
  scim.post("/.search", (req, res) => searchAll(scimDeps, res, (req.body ?? {}) as Record<string, unknown>));
  scim.use(notFound);

  if (deps.metrics) app.use("/scim/v2", scimRequestMetrics(deps.metrics));
  app.use("/scim/v2/:tenant", scim);
  if (deps.hooks) app.use("/hooks", deps.hooks);
  for (const mount of deps.mounts ?? []) app.use(mount.path, mount.router);
  app.use((_req, res) =>
    sendScim(res, 404, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "404",
      detail: "Not found.",
    }),
  );
  app.use(renderErrors(deps.logger, clock));
  return app;
}

// One log line per SCIM request, for operators reading logs: method, route template (never the raw
// path: ids and filter values can be personal data), status, tenant, duration and request id.
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "../log/logger";
import type { ScimContext } from "./scim-http";

export const REQUEST_LOG = "scim request";

/** Resource segments kept as they are in a template; anything else after the tenant becomes `*`. */
const RESOURCES = new Set([
  "Users",
  "Groups",
  "ServiceProviderConfig",
  "ResourceTypes",
  "Schemas",
  ".search",
  "Bulk",
  "Me",
]);

/** The route a path matched, with every value replaced: `/scim/v2/:tenant/Users/:id`. Pure. */
export function routeTemplate(path: string): string {
  const clean = path.split("?")[0] ?? "";
  if (clean === "/healthz" || clean === "/readyz" || clean === "/metrics") return clean;
  const parts = clean.split("/");
  // ["", "scim", "v2", tenant, resource?, id?, ...]
  if (parts[1] !== "scim" || parts[2] !== "v2" || parts.length < 4) return "*";
  const out = ["", "scim", "v2", ":tenant"];
  const resource = parts[4];
  if (resource === undefined || resource === "") return out.join("/");
  if (!RESOURCES.has(resource)) return [...out, "*"].join("/");
  out.push(resource);
  const id = parts[5];
  if (id !== undefined && id !== "") out.push(id === ".search" ? ".search" : ":id");
  if (parts.length > 6) out.push("*");
  return out.join("/");
}

export function requestLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.once("finish", () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const route = routeTemplate(req.originalUrl);
      const scim = res.locals.scim as ScimContext | undefined;
      const line = {
        method: req.method,
        route,
        status: res.statusCode,
        tenant: scim?.tenant.id,
        durationMs: Math.round(durationMs * 10) / 10,
        requestId: res.getHeader("x-request-id"),
      };
      // Probes and scrapers poll every few seconds: that would drown the requests that matter.
      if (route === "/healthz" || route === "/readyz" || route === "/metrics")
        logger.debug(line, REQUEST_LOG);
      else if (res.statusCode >= 500) logger.warn(line, REQUEST_LOG);
      else logger.info(line, REQUEST_LOG);
    });
    next();
  };
}

// Counts and times every SCIM request by tenant, templated route and status. The route is the
// request log's template (/scim/v2/:tenant/Users/:id), never the raw path: ids would make one time
// series per user, and an unknown tenant counts as "-", so a scanner cannot create series at will.
import type { NextFunction, Request, Response } from "express";
import { routeTemplate } from "../scim/request-log";
import type { ScimContext } from "../scim/scim-http";
import type { Metrics } from "./metrics";

export function scimRequestMetrics(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.once("finish", () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const scim = res.locals.scim as ScimContext | undefined;
      const labels = {
        tenant: scim?.tenant.id ?? "-",
        route: `${req.method} ${routeTemplate(req.originalUrl)}`,
        status: String(res.statusCode),
      };
      metrics.scimRequests.inc(labels);
      metrics.scimDuration.observe(labels, seconds);
    });
    next();
  };
}

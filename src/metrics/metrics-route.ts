// GET /metrics in the Prometheus text format. On the API port behind an optional bearer token
// (metrics.tokenSecret names the secret) rather than on a port of its own: one listener to secure and
// probe, and Prometheus sends bearer tokens natively (scrape_config `authorization`).
import { timingSafeEqual } from "node:crypto";
import { Router } from "express";
import { tokenHash } from "../scim/tenant-tokens";
import { bearerToken } from "../scim/scim-middleware";
import type { Metrics } from "./metrics";

/** `expected` undefined: open. A named secret that is missing fails closed (every scrape is 401). */
export function metricsRoute(
  metrics: Metrics,
  expected: string | undefined,
  protectedScrape: boolean,
): Router {
  const router = Router();
  const want = expected === undefined ? undefined : Buffer.from(tokenHash(expected), "hex");
  router.get("/", async (req, res) => {
    if (protectedScrape) {
      const given = bearerToken(req.get("authorization"));
      const hash = given ? Buffer.from(tokenHash(given), "hex") : undefined;
      if (!want || !hash || !timingSafeEqual(want, hash)) {
        res.setHeader("WWW-Authenticate", 'Bearer realm="keybridge-metrics"');
        res
          .status(401)
          .json({ error: "Missing or invalid metrics token.", code: "BRIDGE_ADMIN_UNAUTHENTICATED" });
        return;
      }
    }
    res.setHeader("Content-Type", metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });
  return router;
}

// The IdP push receivers, mounted at /hooks beside (not inside) the SCIM router: Okta Event Hooks at
// /hooks/okta/{tenant} (idp-signals.md §2.4) and SailPoint ISC event triggers at
// /hooks/sailpoint/{tenant} (§3.4). Each request is authenticated in constant time, its signals are
// queued durably, and the IdP is answered at once; the queue is applied off the request.
import { randomBytes } from "node:crypto";
import express, { type NextFunction, type Request, type Response, Router } from "express";
import type { Logger } from "../log/logger";
import { WarnLimiter } from "../log/warn-limiter";
import type { HookSettings } from "./hook-settings";
import { oktaEventToSignal, type OktaLogEvent } from "./okta-event-kinds";
import { sailpointPayloadToSignals } from "./sailpoint-trigger-kinds";
import { secretMatches } from "./secret-matches";
import { signalIsBounded } from "./signal-bounds";
import type { SignalInbox } from "./signal-inbox";

export interface HookRoutesDeps {
  settings: HookSettings;
  inbox: SignalInbox;
  logger: Logger;
  clock: () => Date;
  /** Largest delivery accepted (Okta batches events; default 1 MiB). */
  maxBodyBytes?: number;
}

export const HOOK_LOG = {
  rejected: "hook request with a wrong or missing secret",
  oversized: "hook delivery carried ids longer than an IdP's; those events were dropped",
  queueFailed: "could not queue a hook delivery; the IdP is told to retry",
} as const;

type Json = Record<string, unknown>;

/** Compared against when the tenant has no such receiver, so the refusal costs the same. */
const UNKNOWN = randomBytes(32).toString("hex");

function parseBody(req: Request): { json: Json; raw: string } | null {
  const raw = typeof req.body === "string" ? req.body : "";
  try {
    const json = JSON.parse(raw) as unknown;
    return json && typeof json === "object" && !Array.isArray(json) ? { json: json as Json, raw } : null;
  } catch {
    return null;
  }
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function hookRoutes(deps: HookRoutesDeps): Router {
  const router = Router();
  // Refusals are unauthenticated input: one warning per channel every 10 s (with a count), not one
  // log line per request of a flood.
  const refusals = new WarnLimiter(deps.logger);
  const text = express.text({ type: () => true, limit: deps.maxBodyBytes ?? 1024 * 1024 });

  // One-time verification (Okta Event Hooks): echo the challenge. It changes nothing, so it needs no
  // secret; and it answers the same for every tenant id, known or not, so that it cannot be used to
  // learn which tenants receive hooks (deliveries are authenticated; a wrong URL shows up there as 401).
  router.get("/okta/:tenant", (req, res) => {
    const challenge = header(req, "x-okta-verification-challenge");
    if (!challenge) return void res.status(404).end();
    res.status(200).json({ verification: challenge });
  });

  // Authentication runs before the body is read: an unauthenticated flood costs a hash, not 1 MiB
  // of parsing. An unknown tenant fails exactly like a wrong secret (same status, body and work), as
  // SCIM does, so a scanner cannot learn which tenants exist or which receive hooks.
  const oktaAuth = guard(refusals, "okta-hook", (req, tenant) => {
    const hook = deps.settings.okta.get(tenant);
    return secretMatches(header(req, hook?.header ?? "authorization"), hook?.value ?? UNKNOWN) && !!hook;
  });
  const iscAuth = guard(refusals, "sailpoint", (req, tenant) => {
    const expected = deps.settings.sailpoint.get(tenant);
    return secretMatches(header(req, "authorization"), expected ?? UNKNOWN) && expected !== undefined;
  });

  router.post("/okta/:tenant", oktaAuth, text, async (req, res) => {
    const tenant = String(req.params.tenant);
    const body = parseBody(req);
    if (!body) return void res.status(400).json({ error: "body is not a JSON object" });
    const now = deps.clock();
    const events = Array.isArray((body.json.data as Json | undefined)?.events)
      ? ((body.json.data as Json).events as unknown[])
      : [];
    // Okta may deliver late and out of order: queue in the order the IdP says things happened.
    const signals = events
      .flatMap((e) => (isObject(e) ? (oktaEventToSignal(tenant, "okta-hook", e, now) ?? []) : []))
      .sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
    await queue(deps, res, tenant, "okta-hook", signals);
  });

  router.post("/sailpoint/:tenant", iscAuth, text, async (req, res) => {
    const tenant = String(req.params.tenant);
    const body = parseBody(req);
    if (!body) return void res.status(400).json({ error: "body is not a JSON object" });
    await queue(
      deps,
      res,
      tenant,
      "sailpoint",
      sailpointPayloadToSignals(tenant, body.json, body.raw, deps.clock()),
    );
  });
  return router;
}

const isObject = (v: unknown): v is OktaLogEvent => !!v && typeof v === "object" && !Array.isArray(v);

function guard(refusals: WarnLimiter, channel: string, allowed: (req: Request, tenant: string) => boolean) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const tenant = String(req.params.tenant);
    if (allowed(req, tenant)) return void next();
    // The tenant is whatever the caller put in the path: logged cut short.
    refusals.warn(channel, { tenant: tenant.slice(0, 64), channel }, HOOK_LOG.rejected);
    res.status(401).json({ error: "unauthorized" });
  };
}

async function queue(
  deps: HookRoutesDeps,
  res: Response,
  tenant: string,
  channel: "okta-hook" | "sailpoint",
  signals: Parameters<SignalInbox["push"]>[2],
): Promise<void> {
  const bounded = signals.filter(signalIsBounded);
  if (bounded.length < signals.length)
    deps.logger.warn({ tenant, channel, dropped: signals.length - bounded.length }, HOOK_LOG.oversized);
  signals = bounded;
  try {
    await deps.inbox.push(tenant, channel, signals);
  } catch (err) {
    // Not queued: a 5xx lets Okta retry once and ISC record a failed invocation.
    deps.logger.error({ err, tenant, channel }, HOOK_LOG.queueFailed);
    return void res.status(503).json({ error: "unavailable" });
  }
  res.status(200).json({ queued: signals.length });
}

// The admin API's OpenAPI 3.1 document, served at /admin/v1/openapi.json. Written by hand from the
// table below; test/admin/openapi-truth.test.ts walks the Express router and fails when a route is
// missing here or a documented one is not served, so the two cannot drift apart.
import type { AdminRole } from "./admin-role";

export interface AdminEndpoint {
  method: "get" | "post" | "delete";
  /** OpenAPI form: /tenants/{tenant}/persons/{id}. */
  path: string;
  /** "public": no admin auth (login, this document); "session": acts on the caller's own cookie. */
  role: AdminRole | "public" | "session";
  summary: string;
  /** Writes: the body needs `reason` (recorded in the operator.* audit record). */
  reason?: true;
}

// biome-ignore format: one endpoint per line reads as a table
export const ADMIN_ENDPOINTS: AdminEndpoint[] = [
  { method: "get", path: "/openapi.json", role: "public", summary: "This document." },
  { method: "post", path: "/session", role: "public", summary: "Log in: trade {token} for a session cookie; answers name, role, csrfToken." },
  { method: "get", path: "/session", role: "viewer", summary: "Who is calling; for a cookie session also its csrfToken and expiry." },
  { method: "delete", path: "/session", role: "session", summary: "Log out: ends the cookie's session (needs X-Keybridge-CSRF)." },
  { method: "get", path: "/tenants", role: "viewer", summary: "Configured tenants." },
  { method: "get", path: "/tenants/{tenant}/persons", role: "viewer", summary: "Search persons: ?q= id or externalId exactly, userName or displayName by prefix." },
  { method: "get", path: "/tenants/{tenant}/persons/{id}", role: "viewer", summary: "Person detail: per key system grants with state, exposureUntil, rules; the rule explanation with attribute values; any emergency suspension." },
  { method: "post", path: "/tenants/{tenant}/persons/{id}/reconcile", role: "operator", summary: "Reconcile the person now.", reason: true },
  { method: "post", path: "/tenants/{tenant}/persons/{id}/attention/clear", role: "operator", summary: "Clear the person's needs-attention flag (optional body system).", reason: true },
  { method: "post", path: "/tenants/{tenant}/persons/{id}/emergency-revoke", role: "operator", summary: "Emergency revoke / lost key: the person desires nothing in body systems (default all) until lifted; lostKey: true also blocks the key's credentials; with admin.fourEyes a request a second operator approves.", reason: true },
  { method: "post", path: "/tenants/{tenant}/persons/{id}/lift-suspension", role: "operator", summary: "Lift the person's emergency suspension.", reason: true },
  { method: "get", path: "/tenants/{tenant}/emergency-revokes", role: "viewer", summary: "Emergency revokes awaiting approval and persons suspended." },
  { method: "post", path: "/tenants/{tenant}/emergency-revokes/{id}/approve", role: "operator", summary: "Approve another operator's emergency revoke (four-eyes).", reason: true },
  { method: "post", path: "/tenants/{tenant}/emergency-revokes/{id}/reject", role: "operator", summary: "Reject a pending emergency revoke.", reason: true },
  { method: "get", path: "/revocations/pending", role: "viewer", summary: "Revocations not yet effective, longest exposure first (?tenant=)." },
  { method: "get", path: "/attention", role: "viewer", summary: "Needs-attention flags (?tenant=)." },
  { method: "get", path: "/work-items", role: "viewer", summary: "Open manual work items (?tenant=)." },
  { method: "post", path: "/work-items/{id}/close", role: "operator", summary: "Close a work item an operator has done; reconciles the person.", reason: true },
  { method: "get", path: "/key-systems", role: "viewer", summary: "Key systems and queues: depth, oldest job age, paused, last error." },
  { method: "post", path: "/key-systems/{system}/resume", role: "operator", summary: "Resume a paused key system's queue.", reason: true },
  { method: "get", path: "/audit", role: "viewer", summary: "Audit search: ?person&type (exact, or prefix ending in '.')&since&until&tenant&limit." },
  { method: "get", path: "/audit/export", role: "viewer", summary: "Audit export as JSON Lines (same filter as search, no type); audited as operator.audit_exported." },
  { method: "get", path: "/reports/evidence", role: "viewer", summary: "Evidence report (CIP-004 R5.1/R4.2, NIS2 11.2, ISO 27001 5.18): ?tenant&since&until (ISO 8601)&format=json|html|csv; audited as operator.evidence_reported." },
  { method: "get", path: "/mappings/plan", role: "viewer", summary: "Mapping plan preview: who gains and loses what if the files on disk were reloaded (?tenant=)." },
  { method: "post", path: "/mappings/reload", role: "admin", summary: "Reload the mapping files (as SIGHUP); 409 unless this process runs API and workers.", reason: true },
  { method: "get", path: "/admin-tokens", role: "admin", summary: "List admin tokens (never their secrets)." },
  { method: "post", path: "/admin-tokens", role: "admin", summary: "Create an admin token {name, role}; the secret is in this answer only." },
  { method: "delete", path: "/admin-tokens/{id}", role: "admin", summary: "Revoke an admin token; its sessions end." },
];

const ERROR = { $ref: "#/components/schemas/Error" };

function operation(e: AdminEndpoint) {
  const parameters = [...e.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1],
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
  const op: Record<string, unknown> = {
    summary: e.summary,
    "x-keybridge-role": e.role,
    parameters,
    responses: {
      "200": { description: "OK" },
      "400": { description: "Bad request", content: { "application/json": { schema: ERROR } } },
      "401": {
        description: "No valid admin token or session",
        content: { "application/json": { schema: ERROR } },
      },
      "403": {
        description: "Role too low, or CSRF header missing",
        content: { "application/json": { schema: ERROR } },
      },
    },
  };
  if (e.role === "public") op.security = [];
  if (e.reason)
    op.requestBody = {
      required: true,
      content: {
        "application/json": {
          schema: { type: "object", required: ["reason"], properties: { reason: { type: "string" } } },
        },
      },
    };
  return op;
}

export function adminOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of ADMIN_ENDPOINTS) {
    const item = paths[e.path] ?? {};
    item[e.method] = operation(e);
    paths[e.path] = item;
  }
  return {
    openapi: "3.1.0",
    info: { title: "keybridge admin API", version: "1" },
    servers: [{ url: "/admin/v1" }],
    security: [{ bearer: [] }, { session: [] }],
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: "An admin token (keybridge admin token create).",
        },
        session: {
          type: "apiKey",
          in: "cookie",
          name: "kb_admin_session",
          description: "Writes also need X-Keybridge-CSRF.",
        },
      },
      schemas: {
        Error: {
          type: "object",
          required: ["error", "code"],
          properties: { error: { type: "string" }, code: { type: "string" } },
        },
      },
    },
    paths,
  };
}

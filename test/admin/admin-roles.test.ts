// Every admin route (as the OpenAPI document lists them; openapi-truth.test.ts keeps that list equal
// to the router) × {no token, SCIM token, viewer, operator, admin}; and no SCIM route takes an admin token.
import { ADMIN_ROLES, roleAllows } from "../../src/admin/admin-role";
import { ADMIN_ENDPOINTS, type AdminEndpoint } from "../../src/admin/openapi-document";
import { type AdminHarness, startAdminHarness } from "./admin-harness";

let h: AdminHarness;
beforeAll(async () => {
  h = await startAdminHarness();
});
afterAll(async () => h?.close());

function concrete(e: AdminEndpoint): string {
  const system = h.kb.core.queues.systems()[0] ?? "none";
  return `/admin/v1${e.path.replace("{tenant}", "demo").replace("{system}", system).replace("{id}", "nobody")}`;
}

const callers = ["none", "scim", ...ADMIN_ROLES] as const;

describe.each(ADMIN_ENDPOINTS.map((e) => [`${e.method.toUpperCase()} ${e.path}`, e] as const))(
  "%s",
  (_name, e) => {
    it.each(callers)("as %s", async (caller) => {
      const token = caller === "none" ? undefined : caller === "scim" ? h.scimToken : h.tokens[caller];
      const body = e.method === "get" ? undefined : {};
      const { status, body: answer } = await h.call(e.method.toUpperCase(), concrete(e), token, body);
      const open = e.role === "public" || e.role === "session";
      if (open) {
        expect([401, 403]).not.toContain(status);
      } else if (caller === "none" || caller === "scim") {
        expect(status).toBe(401);
        expect(answer).toMatchObject({ code: "BRIDGE_ADMIN_UNAUTHENTICATED" });
      } else if (roleAllows(caller, e.role as (typeof ADMIN_ROLES)[number])) {
        expect([401, 403]).not.toContain(status);
        expect(status).toBeLessThan(500);
      } else {
        expect(status).toBe(403);
        expect(answer).toMatchObject({ code: "BRIDGE_ADMIN_FORBIDDEN" });
      }
    });
  },
);

it.each(ADMIN_ROLES)("no SCIM route answers a %s admin token", async (role) => {
  const token = h.tokens[role];
  for (const [method, path, body] of [
    ["GET", "/scim/v2/demo/Users", undefined],
    ["GET", "/scim/v2/demo/Groups", undefined],
    [
      "POST",
      "/scim/v2/demo/Users",
      { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "x" },
    ],
    ["GET", "/scim/v2/demo/ServiceProviderConfig", undefined],
  ] as const) {
    expect((await h.call(method, path, token, body)).status).toBe(401);
  }
});

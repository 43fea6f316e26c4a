// The admin API, the console and /metrics under attack, against `keybridge serve` on real Redis:
// hostile path params, tokens of the wrong kind, unknown tenants, and what error bodies reveal.
import { type AdminHarness, startAdminHarness } from "../admin/admin-harness";

let h: AdminHarness;
beforeAll(async () => {
  h = await startAdminHarness();
}, 30_000);
afterAll(async () => h?.close());

const HOSTILE = [
  "__proto__",
  "constructor",
  "prototype",
  "%E0%A4%A",
  "%00",
  "..%2F..%2Fetc",
  "x".repeat(4000),
];

describe("admin API and console against hostile input", () => {
  it("answers hostile tenant, person, system and item ids without a 500 or a stack", async () => {
    const paths = HOSTILE.flatMap((bad) => [
      `/admin/v1/tenants/${bad}/persons`,
      `/admin/v1/tenants/${bad}/persons/${bad}`,
      `/admin/v1/tenants/demo/persons/${bad}`,
      `/admin/v1/tenants/${bad}/emergency-revokes`,
      `/console/persons/${bad}/${bad}`,
      `/console/persons/demo/${bad}`,
    ]);
    for (const path of paths) {
      const answer = await h.call("GET", path, h.tokens.admin);
      expect({ path, status: answer.status < 500 }).toEqual({ path, status: true });
      expect(JSON.stringify(answer.body)).not.toMatch(/ at .*\.(ts|js):\d+/);
    }
    const posts = HOSTILE.flatMap((bad) => [
      `/admin/v1/tenants/${bad}/persons/${bad}/reconcile`,
      `/admin/v1/work-items/${bad}/close`,
      `/admin/v1/key-systems/${bad}/resume`,
      `/admin/v1/admin-tokens/${bad}`,
    ]);
    for (const path of posts) {
      const method = path.startsWith("/admin/v1/admin-tokens") ? "DELETE" : "POST";
      const answer = await h.call(method, path, h.tokens.admin, { reason: "probe" });
      expect({ path, status: answer.status < 500 }).toEqual({ path, status: true });
    }
    expect(({} as Record<string, unknown>).reason).toBeUndefined();
  });

  it("refuses a SCIM token on every admin surface, and an admin token on SCIM", async () => {
    expect((await h.call("GET", "/admin/v1/tenants", h.scimToken)).status).toBe(401);
    expect((await h.call("GET", "/admin/v1/session", h.scimToken)).status).toBe(401);
    expect((await h.call("POST", "/admin/v1/session", undefined, { token: h.scimToken })).status).toBe(401);
    expect((await h.call("GET", "/scim/v2/demo/Users", h.tokens.admin)).status).toBe(401);
  });

  it("creates no metric series from attacker-chosen tenants and paths", async () => {
    for (let i = 0; i < 20; i++) {
      await h.call("GET", `/scim/v2/tenant-${i}-probe/Users/${i}`);
      await h.call("GET", `/scim/v2/demo/probe-${i}/x`);
      await h.call("GET", `/admin/v1/probe-${i}`, h.tokens.viewer);
      await h.call("POST", `/hooks/okta/probe-${i}`);
    }
    const metrics = await h.call("GET", "/metrics", h.tokens.viewer);
    const text = String(metrics.body);
    expect(metrics.status).toBe(200);
    expect(text).not.toMatch(/probe/);
    expect(text).toMatch(/tenant="-"/);
  });

  it("answers malformed bodies and repeated query parameters without a 500", async () => {
    const raw = async (method: string, path: string, body?: string, type = "application/json") => {
      const res = await fetch(`${h.base}${path}`, {
        method,
        headers: { authorization: `Bearer ${h.tokens.admin}`, "content-type": type },
        body,
      });
      return { status: res.status, text: await res.text() };
    };
    const broken = await raw("POST", "/admin/v1/session", '{"token":');
    expect(broken.status).toBe(400);
    expect(broken.text).not.toMatch(/SyntaxError|at JSON\.parse|node_modules/);
    expect(
      (await raw("POST", "/admin/v1/admin-tokens", JSON.stringify({ name: "x".repeat(70_000) }))).status,
    ).toBe(413);
    const repeated = [
      "/console/persons?q=a&q=b",
      "/console/audit?tenant=a&tenant=b&type=x&type=y&since=1&since=2",
      "/console/plan?tenant=a&tenant=b",
      "/admin/v1/audit?tenant=a&tenant=b&limit=1&limit=2",
      "/admin/v1/tenants/demo/persons?q=a&q=b",
      "/admin/v1/revocations/pending?limit=-1&limit=1e400",
    ];
    for (const path of repeated) {
      const answer = await raw("GET", path);
      expect({ path, ok: answer.status < 500 }).toEqual({ path, ok: true });
    }
  });
});

// The console over HTTP as `keybridge serve` runs it: who gets in (admin session, never a SCIM token),
// which role may act, the CSRF token on writes, a reason on every action, the CSP, and escaping of
// what an IdP sent. The browser test covers the pages' behaviour; this covers the guard around them.
import { join } from "node:path";
import { AdminTokens } from "../../src/admin/admin-tokens";
import { readAuditRecords } from "../../src/audit/export-audit";
import { parseConfig } from "../../src/config/load-config";
import { silentLogger } from "../../src/log/logger";
import { type RunningProcesses, startProcesses } from "../../src/runtime/start-processes";
import { TenantTokens } from "../../src/scim/tenant-tokens";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";

let redis: TestRedis;
let kb: RunningProcesses;
let base: string;
let scimToken: string;
let personId: string;

interface Session {
  cookie: string;
  csrf: string;
}

async function signIn(role: "viewer" | "operator"): Promise<Session> {
  const tokens = new AdminTokens({ redis: kb.core.redis, audit: kb.core.audit });
  const { secret } = await tokens.create(`${role}-olga`, role, { actor: "test" });
  const res = await fetch(`${base}/admin/v1/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token: secret }),
  });
  expect(res.status).toBe(201);
  const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

function post(path: string, session: Session, form: Record<string, string>, csrf = session.csrf) {
  return fetch(`${base}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      cookie: session.cookie,
      "content-type": "application/x-www-form-urlencoded",
      "hx-request": "true",
      ...(csrf ? { "x-keybridge-csrf": csrf } : {}),
    },
    body: new URLSearchParams(form).toString(),
  });
}

beforeAll(async () => {
  redis = await startTestRedis();
  const config = parseConfig({
    redisUrl: redis.url,
    port: 0,
    host: "127.0.0.1",
    logLevel: "silent",
    mappingsDir: join(__dirname, "../../mappings"),
  });
  kb = await startProcesses(config, { api: true, workers: false }, { logger: silentLogger() });
  base = `http://127.0.0.1:${kb.port}`;
  scimToken = (await new TenantTokens({ redis: kb.core.redis }).create("demo")).secret;
  const created = await fetch(`${base}/scim/v2/demo/Users`, {
    method: "POST",
    headers: { authorization: `Bearer ${scimToken}`, "content-type": "application/scim+json" },
    body: JSON.stringify({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "mallory@example.org",
      displayName: "<img src=x onerror=alert(1)>",
      active: true,
    }),
  });
  expect(created.status).toBe(201);
  personId = ((await created.json()) as { id: string }).id;
});

afterAll(async () => {
  await kb?.close();
  await redis.stop();
});

test("without an admin session a page goes to the login page, and a SCIM token does not open it", async () => {
  const page = await fetch(`${base}/console/persons`, { redirect: "manual" });
  expect(page.status).toBe(303);
  expect(page.headers.get("location")).toBe("/console/login");
  const scim = await fetch(`${base}/console/persons`, {
    redirect: "manual",
    headers: { authorization: `Bearer ${scimToken}` },
  });
  expect(scim.status).toBe(303);
  const fragment = await fetch(`${base}/console/pending/board`, { headers: { "hx-request": "true" } });
  expect(fragment.status).toBe(401);
  expect(fragment.headers.get("hx-redirect")).toBe("/console/login");
  const login = await fetch(`${base}/console/login`);
  expect(login.status).toBe(200);
  expect(login.headers.get("content-security-policy")).toContain("default-src 'self'");
});

test("pages carry the CSP, escape what the IdP sent, and htmx is served from the app", async () => {
  const viewer = await signIn("viewer");
  const res = await fetch(`${base}/console/persons?q=mallory`, { headers: { cookie: viewer.cookie } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-security-policy")).toMatch(/^default-src 'self'/);
  const body = await res.text();
  expect(body).toContain("&lt;img src=x onerror=alert(1)&gt;");
  expect(body).not.toContain("<img src=x");
  expect(body).toContain(`hx-headers="{&quot;X-Keybridge-CSRF&quot;:&quot;${viewer.csrf}&quot;}"`);
  const htmx = await fetch(`${base}/console/assets/htmx.min.js`);
  expect(htmx.status).toBe(200);
  expect(htmx.headers.get("content-type")).toMatch(/javascript/);
});

test("a viewer may read but not act", async () => {
  const viewer = await signIn("viewer");
  for (const page of ["pending", "attention", "systems", "audit", "plan", `persons/demo/${personId}`]) {
    const res = await fetch(`${base}/console/${page}`, { headers: { cookie: viewer.cookie } });
    expect([page, res.status]).toEqual([page, 200]);
  }
  const act = await post(`/console/persons/demo/${personId}/reconcile`, viewer, { reason: "try" });
  expect(act.status).toBe(403);
});

test("an operator's action needs the session's CSRF token and a reason, and is audited with both", async () => {
  const operator = await signIn("operator");
  const path = `/console/persons/demo/${personId}/reconcile`;
  expect((await post(path, operator, { reason: "INC-1" }, "")).status).toBe(403);
  expect((await post(path, operator, { reason: "INC-1" }, "not-the-token")).status).toBe(403);
  const noReason = await post(path, operator, { reason: "  " });
  expect(noReason.status).toBe(400);
  expect(await noReason.text()).toContain("needs a reason");
  const done = await post(path, operator, { reason: "INC-1 badge reprinted" });
  expect(done.status).toBe(200);
  expect(await done.text()).toContain("Reconcile requested");
  const records = await readAuditRecords(kb.core.redis, { person: personId });
  const requested = records.filter((r) => r.type === "operator.reconcile_requested");
  expect(requested.map((r) => [r.actor, r.reason])).toEqual([
    ["operator:operator-olga", "INC-1 badge reprinted"],
  ]);
});

test("an emergency revoke shows on the person page until an operator lifts it, both audited", async () => {
  const operator = await signIn("operator");
  const person = `/console/persons/demo/${personId}`;
  const revoked = await post(`${person}/emergency-revoke`, operator, {
    reason: "badge lost, INC-9",
    lostKey: "true",
  });
  expect(await revoked.text()).toContain("Emergency revoke in force");
  const page = await (await fetch(`${base}${person}`, { headers: { cookie: operator.cookie } })).text();
  expect(page).toContain("Emergency revoke in force");
  expect(page).toContain("badge lost, INC-9");
  expect(page).toContain(`hx-post="${person}/lift"`);
  expect(await (await post(`${person}/lift`, operator, { reason: "badge found" })).text()).toContain(
    "Lifted",
  );
  expect(await (await post(`${person}/lift`, operator, { reason: "again" })).text()).toContain(
    "No emergency",
  );
  const after = await (await fetch(`${base}${person}`, { headers: { cookie: operator.cookie } })).text();
  expect(after).toContain(`hx-post="${person}/emergency-revoke"`);
  const records = await readAuditRecords(kb.core.redis, { person: personId });
  expect(
    records
      .filter((r) => r.type.startsWith("operator.emergency") || r.type === "operator.suspension_lifted")
      .map((r) => [r.type, r.reason]),
  ).toEqual([
    ["operator.emergency_revoked", "badge lost, INC-9"],
    ["operator.suspension_lifted", "badge found"],
  ]);
});

test("a viewer builds the evidence report: figures for the flow, the HTML download, audited", async () => {
  const viewer = await signIn("viewer");
  const get = (path: string) => fetch(`${base}${path}`, { headers: { cookie: viewer.cookie } });
  const form = await (await get("/console/report")).text();
  expect(form).toContain('aria-current="page">Evidence report');
  expect(form).not.toContain('id="evidence-figures"');
  const until = new Date(Date.now() + 60_000).toISOString();
  const window = `tenant=demo&since=2000-01-01T00:00Z&until=${encodeURIComponent(until)}`;
  const page = await get(`/console/report?${window}&run=1`);
  expect(page.status).toBe(200);
  const body = await page.text();
  expect(body).toMatch(/<dt>Grants<\/dt><dd>\d+ \(\d+ effective/);
  expect(body).toContain("<dt>Audit chain</dt><dd>verified; anchor ");
  expect(body).toContain(`/console/report/download?tenant=demo&amp;since=`);
  const bad = await (await get("/console/report?tenant=demo&since=soon&until=later&run=1")).text();
  expect(bad).toContain("must be ISO 8601");
  const download = await get(`/console/report/download?${window}&format=html`);
  expect(download.status).toBe(200);
  expect(download.headers.get("content-type")).toMatch(/^text\/html/);
  expect(download.headers.get("content-disposition")).toContain("keybridge-evidence-demo.html");
  const evidence = await download.text();
  expect(evidence).toContain("<h1>Access evidence report</h1>");
  expect(evidence).toContain('<section id="chain">');
  const reported = (await readAuditRecords(kb.core.redis, { tenant: "demo" })).filter(
    (r) => r.type === "operator.evidence_reported",
  );
  expect(reported.map((r) => r.actor)).toEqual(["operator:viewer-olga", "operator:viewer-olga"]);
});

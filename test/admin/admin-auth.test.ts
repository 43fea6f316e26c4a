// Admin auth through the API `keybridge serve` runs: admin tokens (hashed, roles), bearer and session
// cookie, CSRF on cookie writes, logout and revocation ending sessions, and the two token spaces apart.
import { join } from "node:path";
import { AdminTokens } from "../../src/admin/admin-tokens";
import { readAuditRecords } from "../../src/audit/export-audit";
import { parseAdminArgs, runAdminTokens } from "../../src/cli/admin-command";
import { parseConfig } from "../../src/config/load-config";
import { silentLogger } from "../../src/log/logger";
import { type RunningProcesses, startProcesses } from "../../src/runtime/start-processes";
import { TenantTokens } from "../../src/scim/tenant-tokens";
import { redisKeys } from "../../src/store/redis-keys";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";

let redis: TestRedis;
let kb: RunningProcesses;
let base: string;
let tokens: AdminTokens;
const by = { actor: "operator:test" };

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
  tokens = new AdminTokens({ redis: kb.core.redis, audit: kb.core.audit });
});
afterAll(async () => {
  await kb?.close();
  await redis.stop();
});

const session = (init: RequestInit = {}) => fetch(`${base}/admin/v1/session`, init);

test("the CLI parses token commands and prints a secret that is stored only as a hash", async () => {
  expect(parseAdminArgs(["token", "create", "--name", "alice", "--role", "operator"])).toEqual({
    action: "create",
    name: "alice",
    role: "operator",
  });
  expect(parseAdminArgs(["token", "create", "--name", "x", "--role", "root"])).toMatch(/needs --role/);
  expect(parseAdminArgs(["token", "revoke"])).toMatch(/needs --id/);
  let out = "";
  const args = { action: "create" as const, name: "cli-made", role: "viewer" };
  expect(
    await runAdminTokens(
      args,
      tokens,
      (t) => (out += t),
      () => "operator:cli",
    ),
  ).toBe(0);
  const secret = out.trim().split("\n").at(-1) ?? "";
  expect(secret).toMatch(/^kbadm_[A-Za-z0-9_-]{43}$/);
  const stored = await kb.core.redis.hvals(redisKeys.adminTokens());
  expect(stored.join("")).not.toContain(secret);
  expect(await tokens.verify(secret)).toMatchObject({ name: "cli-made", role: "viewer" });
  out = "";
  await runAdminTokens({ action: "list" }, tokens, (t) => (out += t));
  expect(out).toMatch(/viewer\s+cli-made/);
  expect(out).not.toContain(secret);
});

test("a session cookie is HttpOnly and SameSite=Strict; writes need the CSRF header", async () => {
  const { secret } = await tokens.create("alice", "operator", by);
  const res = await session({
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token: secret }),
  });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { name: string; role: string; csrfToken: string };
  expect(body).toMatchObject({ name: "alice", role: "operator" });
  const setCookie = res.headers.get("set-cookie") ?? "";
  expect(setCookie).toMatch(/HttpOnly/i);
  expect(setCookie).toMatch(/SameSite=Strict/i);
  expect(setCookie).not.toMatch(/Secure/i); // plain HTTP on loopback: a Secure cookie would never return
  const cookie = setCookie.split(";")[0] ?? "";

  const who = await session({ headers: { cookie } });
  expect(await who.json()).toMatchObject({ name: "alice", role: "operator", csrfToken: body.csrfToken });

  const noCsrf = await session({ method: "DELETE", headers: { cookie } });
  expect(noCsrf.status).toBe(403);
  expect(await noCsrf.json()).toMatchObject({ code: "BRIDGE_ADMIN_CSRF" });
  const out = await session({ method: "DELETE", headers: { cookie, "x-keybridge-csrf": body.csrfToken } });
  expect(out.status).toBe(204);
  expect((await session({ headers: { cookie } })).status).toBe(401);

  const records = await readAuditRecords(kb.core.redis, {});
  const types = records.map((r) => r.type);
  expect(types).toContain("operator.session_started");
  expect(types).toContain("operator.session_ended");
});

test("revoking an admin token ends its sessions and its bearer use", async () => {
  const created = await tokens.create("bob", "viewer", by);
  const res = await session({
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token: created.secret }),
  });
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  expect((await session({ headers: { cookie } })).status).toBe(200);
  await tokens.revoke(created.id, by);
  expect((await session({ headers: { cookie } })).status).toBe(401);
  const bearer = await session({ headers: { authorization: `Bearer ${created.secret}` } });
  expect(bearer.status).toBe(401);
  expect(await bearer.json()).toMatchObject({ code: "BRIDGE_ADMIN_UNAUTHENTICATED" });
});

test("SCIM and admin tokens are separate spaces", async () => {
  const scim = await new TenantTokens({ redis: kb.core.redis }).create("demo");
  const admin = await tokens.create("carol", "admin", by);
  const asAdmin = await session({ headers: { authorization: `Bearer ${scim.secret}` } });
  expect(asAdmin.status).toBe(401);
  const login = await session({
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token: scim.secret }),
  });
  expect(login.status).toBe(401);
  const users = await fetch(`${base}/scim/v2/demo/Users`, {
    headers: { authorization: `Bearer ${admin.secret}` },
  });
  expect(users.status).toBe(401);
  const ok = await fetch(`${base}/scim/v2/demo/Users`, {
    headers: { authorization: `Bearer ${scim.secret}` },
  });
  expect(ok.status).toBe(200);
});

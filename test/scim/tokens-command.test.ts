// The `keybridge tokens` command: argument parsing and create/list/revoke against a private Redis.
import { AuditTrail } from "../../src/audit/audit-trail";
import { readAuditRecords } from "../../src/audit/export-audit";
import { parseTokensArgs, runTokens } from "../../src/cli/tokens-command";
import { TenantTokens } from "../../src/scim/tenant-tokens";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => redis.stop());

test("argument parsing", () => {
  expect(parseTokensArgs(["create", "--tenant", "demo"])).toEqual({ action: "create", tenant: "demo" });
  expect(parseTokensArgs(["revoke", "--tenant=demo", "--id", "abc"])).toEqual({
    action: "revoke",
    tenant: "demo",
    id: "abc",
  });
  expect(parseTokensArgs(["revoke", "--tenant", "demo"])).toMatch(/needs --id/);
  expect(parseTokensArgs(["list"])).toMatch(/--tenant is required/);
  expect(parseTokensArgs(["rotate", "--tenant", "demo"])).toMatch(/^usage/);
});

test("create prints the secret once; list shows ids and last4 only; revoke removes it", async () => {
  const tokens = new TenantTokens({ redis: redis.client() });
  let out = "";
  const print = (text: string) => {
    out += text;
  };
  expect(await runTokens({ action: "create", tenant: "demo" }, tokens, print)).toBe(0);
  const secret = out.trim().split("\n").at(-1) ?? "";
  expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(await tokens.verify("demo", secret)).toBe(true);
  expect(await tokens.verify("demo", `${secret}x`)).toBe(false);
  expect(await tokens.verify("other", secret)).toBe(false);

  out = "";
  await runTokens({ action: "list", tenant: "demo" }, tokens, print);
  expect(out).not.toContain(secret);
  expect(out).toContain(secret.slice(-4));
  const id = out.split(/\s+/)[0] ?? "";

  out = "";
  expect(await runTokens({ action: "revoke", tenant: "demo", id }, tokens, print)).toBe(0);
  expect(await tokens.verify("demo", secret)).toBe(false);
  expect(await runTokens({ action: "revoke", tenant: "demo", id }, tokens, print)).toBe(1);
});

test("create and revoke are audited with actor, reason and token id, never the secret", async () => {
  const client = redis.client();
  await client.flushall();
  const tokens = new TenantTokens({ redis: client, audit: new AuditTrail({ redis: client }) });
  let out = "";
  const print = (text: string) => {
    out += text;
  };
  const actor = (explicit: string | undefined) => `operator:${explicit ?? "me@host"}`;
  await runTokens({ action: "create", tenant: "demo", reason: "new Entra app" }, tokens, print, actor);
  const secret = out.trim().split("\n").at(-1) ?? "";
  const [info] = await tokens.list("demo");
  await runTokens({ action: "revoke", tenant: "demo", id: info!.id, actor: "bob" }, tokens, print, actor);

  const records = await readAuditRecords(client, { tenant: "demo" });
  expect(records.map((r) => [r.type, r.actor, r.reason, r.data])).toEqual([
    ["tokens.created", "operator:me@host", "new Entra app", { tokenId: info!.id }],
    ["tokens.revoked", "operator:bob", undefined, { tokenId: info!.id }],
  ]);
  expect(JSON.stringify(records)).not.toContain(secret);
});

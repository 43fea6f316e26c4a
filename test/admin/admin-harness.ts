// Starts keybridge's API (as `keybridge serve`, or `start` with workers) on a private Redis for the
// admin tests, with one admin token per role, a SCIM token, and small fetch helpers.
import { join } from "node:path";
import { ADMIN_ROLES, type AdminRole } from "../../src/admin/admin-role";
import { AdminTokens } from "../../src/admin/admin-tokens";
import type { Config } from "../../src/config/config-schema";
import { parseConfig } from "../../src/config/load-config";
import { silentLogger } from "../../src/log/logger";
import { type RunningProcesses, startProcesses } from "../../src/runtime/start-processes";
import { TenantTokens } from "../../src/scim/tenant-tokens";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";

export interface AdminHarness {
  redis: TestRedis;
  kb: RunningProcesses;
  base: string;
  /** Admin token secret per role. */
  tokens: Record<AdminRole, string>;
  scimToken: string;
  call(
    method: string,
    path: string,
    token?: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

export async function startAdminHarness(
  raw: Record<string, unknown> = {},
  roles = { api: true, workers: false },
): Promise<AdminHarness> {
  const redis = await startTestRedis();
  const config: Config = parseConfig({
    port: 0,
    host: "127.0.0.1",
    logLevel: "silent",
    mappingsDir: join(__dirname, "../../mappings"),
    ...raw,
    redisUrl: redis.url,
  });
  const kb = await startProcesses(config, roles, { logger: silentLogger() });
  const admin = new AdminTokens({ redis: kb.core.redis, audit: kb.core.audit });
  const tokens = {} as Record<AdminRole, string>;
  for (const role of ADMIN_ROLES)
    tokens[role] = (await admin.create(`${role}-person`, role, { actor: "test" })).secret;
  const scimToken = (await new TenantTokens({ redis: kb.core.redis }).create(config.tenants[0]?.id ?? "demo"))
    .secret;
  const base = `http://127.0.0.1:${kb.port}`;
  return {
    redis,
    kb,
    base,
    tokens,
    scimToken,
    async call(method, path, token, body) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await fetch(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // JSON Lines or plain text: left as text
      }
      return { status: res.status, body: parsed };
    },
    async close() {
      await kb.close();
      await redis.stop();
    },
  };
}

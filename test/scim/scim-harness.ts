// Runs buildApp() over HTTP on port 0 against the real Redis store and a private redis-server, with
// one token per tenant and a recording DirectoryChangeHook.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { parseConfig } from "../../src/config/load-config";
import { type Logger, silentLogger } from "../../src/log/logger";
import { buildApp } from "../../src/scim/build-app";
import { attachClientErrorHandler } from "../../src/scim/client-error-handler";
import { TenantTokens } from "../../src/scim/tenant-tokens";
import type { DirectoryChange } from "../../src/store/directory-change";
import { createRedisClient } from "../../src/store/create-redis-client";
import { RedisDirectoryStore } from "../../src/store/directory-store";
import { REQUEST_PATH_REDIS_OPTIONS } from "../../src/store/redis-client-options";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";

export const TENANTS = ["entra", "okta", "sailpoint", "generic"] as const;
export type TenantId = (typeof TENANTS)[number];

export interface ScimResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON body; {} when the response had none (204). */
  body: Record<string, unknown>;
}

export interface ScimHarness {
  redis: TestRedis;
  url: string;
  tokens: Record<TenantId, string>;
  changes: DirectoryChange[];
  call(
    tenant: TenantId,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<ScimResponse>;
  /** Flushes Redis, recreates tokens, forgets recorded changes. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  rateLimit?: { requestsPerSecond: number; burst: number };
  maxPageSize?: number;
  maxBodyBytes?: number;
  maxGroupBodyBytes?: number;
  /** config scim.trustProxy (default false). */
  trustProxy?: boolean | number | string;
  publicBaseUrl?: string;
  authFailureLimit?: { requestsPerSecond: number; burst: number };
  /** Where the app logs (default: nowhere). */
  logger?: Logger;
  /** Overrides of scim.limits (the rest keep their defaults). */
  limits?: Record<string, number>;
}

export async function startScimHarness(options: HarnessOptions = {}): Promise<ScimHarness> {
  const redis = await startTestRedis();
  const client = createRedisClient(redis.config, REQUEST_PATH_REDIS_OPTIONS);
  await client.connect();
  const config = parseConfig({
    tenants: TENANTS.map((id) => ({ id, displayName: id, kind: id })),
    scim: {
      maxPageSize: options.maxPageSize ?? 1000,
      ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
      ...(options.maxGroupBodyBytes ? { maxGroupBodyBytes: options.maxGroupBodyBytes } : {}),
      ...(options.limits ? { limits: options.limits } : {}),
      rateLimit: options.rateLimit ?? { requestsPerSecond: 10_000, burst: 10_000 },
      ...(options.trustProxy === undefined ? {} : { trustProxy: options.trustProxy }),
      // Generous by default, like rateLimit: suites that send many 401s must not be cut off by it.
      authFailureLimit: options.authFailureLimit ?? { requestsPerSecond: 10_000, burst: 10_000 },
    },
    ...(options.publicBaseUrl ? { publicBaseUrl: options.publicBaseUrl } : {}),
  });
  const changes: DirectoryChange[] = [];
  const store = new RedisDirectoryStore({ redis: client });
  const app = buildApp({
    config,
    redis: client,
    store,
    logger: options.logger ?? silentLogger(),
    onDirectoryChange: async (change) => {
      changes.push(change);
    },
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  attachClientErrorHandler(server);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tokens = {} as Record<TenantId, string>;
  const makeTokens = async () => {
    const tt = new TenantTokens({ redis: client });
    for (const t of TENANTS) tokens[t] = (await tt.create(t)).secret;
  };
  await makeTokens();
  return {
    redis,
    url,
    tokens,
    changes,
    async call(tenant, method, path, body, headers = {}) {
      const res = await fetch(`${url}/scim/v2/${tenant}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${tokens[tenant]}`,
          ...(body === undefined ? {} : { "content-type": "application/scim+json" }),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} };
    },
    async reset() {
      await redis.flush();
      await makeTokens();
      changes.length = 0;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      client.disconnect();
      await redis.stop();
    },
  };
}

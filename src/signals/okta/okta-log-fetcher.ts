// Reads one System Log page through the unmodified @okta/okta-sdk-nodejs client: SSWS token or OAuth 2.0
// private-key JWT (the SDK fetches and caches the access token itself). One page per call, via the SDK's
// public `client.http.http(url)`, because its Collection never ends on a polling query (idp-signals.md
// §2.3: an empty page keeps the same next link) and we must persist each page's next link ourselves.
import { Client, DefaultRequestExecutor } from "@okta/okta-sdk-nodejs";
import { ConfigError } from "../../config/config-error";
import type { OktaLogConfig } from "../../config/okta-log-schema";
import { nextLinkOf } from "./okta-log-links";
import { type RateLimitState, readRateLimit } from "./okta-rate-limit";

export type LogPageResult =
  | { ok: true; events: unknown[]; next: string | null; rate: RateLimitState }
  | { ok: false; status: number; rate: RateLimitState; message: string };

export interface OktaLogFetcher {
  fetchPage(url: string): Promise<LogPageResult>;
}

/** Okta's System Log query timeout is 30 s; a request that outlives it will not be answered. */
const REQUEST_TIMEOUT_MS = 30_000;

function clientOptions(settings: OktaLogConfig, secrets: Readonly<Record<string, string>>, where: string) {
  const secret = (name: string | undefined, key: string) => {
    const value = name === undefined ? undefined : secrets[name];
    if (value === undefined)
      throw new ConfigError("invalid configuration", [
        `${where}.${key}: no secret ${String(name)} (set KEYBRIDGE_SECRET_${String(name)} or …_FILE)`,
      ]);
    return value;
  };
  // No SDK retries: the poller pauses the whole channel until X-Rate-Limit-Reset instead of sleeping
  // inside a request, and no cache: the default cache middleware would answer a repeated next link
  // (an empty polling page keeps it) from memory.
  const common = {
    orgUrl: settings.orgUrl,
    cacheMiddleware: null,
    requestExecutor: new DefaultRequestExecutor({ maxRetries: 0, requestTimeout: REQUEST_TIMEOUT_MS }),
    userAgent: "keybridge-signals",
  };
  if (settings.auth === "ssws")
    return {
      ...common,
      authorizationMode: "SSWS",
      token: secret(settings.tokenSecretName, "tokenSecretName"),
    };
  return {
    ...common,
    authorizationMode: "PrivateKey",
    clientId: settings.clientId,
    scopes: ["okta.logs.read"],
    privateKey: secret(settings.privateKeySecretName, "privateKeySecretName"),
    ...(settings.keyId ? { keyId: settings.keyId } : {}),
  };
}

interface SdkError {
  status?: number;
  message?: string;
  headers?: { get(name: string): string | null };
}

/** `where` names the config path in errors (e.g. `tenants.2.signals.oktaLog`). */
export function createOktaLogFetcher(
  settings: OktaLogConfig,
  secrets: Readonly<Record<string, string>>,
  where: string,
): OktaLogFetcher {
  const client = new Client(clientOptions(settings, secrets, where));
  return {
    async fetchPage(url) {
      try {
        const res = await client.http.http(url);
        const rate = readRateLimit((n) => res.headers.get(n));
        const body = (await res.json()) as unknown;
        if (!Array.isArray(body))
          return { ok: false, status: res.status, rate, message: "log page is not an array" };
        return { ok: true, events: body, next: nextLinkOf(res.headers.get("link")), rate };
      } catch (err) {
        const e = err as SdkError;
        const rate = e.headers?.get ? readRateLimit((n) => e.headers!.get(n)) : {};
        return { ok: false, status: e.status ?? 0, rate, message: String(e.message ?? err) };
      }
    },
  };
}

// First start: the `demo` tenant gets a token, printed once with its SCIM URL; any other tenant without a
// token is named in the log with the command that makes one (tokens are never created silently).
import { AuditTrail } from "../audit/audit-trail";
import type { Config } from "../config/config-schema";
import type { Logger } from "../log/logger";
import { TenantTokens } from "../scim/tenant-tokens";
import type { RedisClient } from "../store/create-redis-client";

export const DEMO_TENANT = "demo";

export function scimBaseUrl(config: Config, port: number, tenant: string): string {
  const base = config.publicBaseUrl?.replace(/\/$/, "") ?? `http://localhost:${port}`;
  return `${base}/scim/v2/${tenant}`;
}

export async function bootstrapTenants(
  config: Config,
  redis: RedisClient,
  port: number,
  logger: Logger,
  print: (text: string) => void,
): Promise<void> {
  const tokens = new TenantTokens({ redis, audit: new AuditTrail({ redis }) });
  for (const tenant of config.tenants) {
    if ((await tokens.list(tenant.id)).length > 0) continue;
    if (tenant.id !== DEMO_TENANT) {
      logger.warn(
        { tenant: tenant.id },
        "tenant has no SCIM token yet: run `keybridge tokens create --tenant <id>`",
      );
      continue;
    }
    const created = await tokens.create(tenant.id);
    const url = scimBaseUrl(config, port, tenant.id);
    print(
      [
        "",
        "keybridge: created the demo tenant's first SCIM token (shown once; keep it).",
        `  SCIM base URL: ${url}`,
        `  Bearer token:  ${created.secret}`,
        `  Try:           curl -H "Authorization: Bearer ${created.secret}" ${url}/ServiceProviderConfig`,
        "",
      ].join("\n"),
    );
  }
}

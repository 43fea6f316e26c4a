// `keybridge tokens create|list|revoke --tenant X [--id ID]`: manages a tenant's SCIM bearer tokens.
// The secret is printed once at creation; only its hash is stored (src/scim/tenant-tokens.ts).
import { loadConfig } from "../config/load-config";
import { AuditTrail } from "../audit/audit-trail";
import { TenantTokens } from "../scim/tenant-tokens";
import { confirmTokenRevocation } from "./confirm-token-revocation";
import { redisKeys } from "../store/redis-keys";
import type { CliCommand } from "./cli-command";
import { connectRedisOnce } from "../store/connect-redis-once";
import { defaultActor } from "./default-actor";

const USAGE = `usage: keybridge tokens create|list|revoke --tenant <id> [--id <tokenId>] [--reason <text>] [--actor <name>]
  create and revoke are audited (tokens.created / tokens.revoked) with the actor (default <user>@<host>).
  To rotate an IdP's token without downtime: create a new one, switch the IdP to it, revoke the old one.
`;

export interface TokensArgs {
  action: "create" | "list" | "revoke";
  tenant: string;
  id?: string;
  reason?: string;
  actor?: string;
}

/** Parses the words after `tokens`; returns an error line instead of throwing. */
export function parseTokensArgs(argv: string[]): TokensArgs | string {
  const [action, ...rest] = argv;
  if (action !== "create" && action !== "list" && action !== "revoke") return USAGE;
  const options = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 1) {
    const word = rest[i] ?? "";
    const eq = word.indexOf("=");
    const flag = eq < 0 ? word : word.slice(0, eq);
    const inline = eq < 0 ? undefined : word.slice(eq + 1);
    if (!["--tenant", "--id", "--reason", "--actor"].includes(flag))
      return `unknown option ${word}\n${USAGE}`;
    const value = inline ?? rest[++i];
    if (!value) return `${flag} needs a value\n${USAGE}`;
    options.set(flag.slice(2), value);
  }
  const tenant = options.get("tenant");
  if (!tenant) return `--tenant is required\n${USAGE}`;
  const id = options.get("id");
  if (action === "revoke" && !id) return `revoke needs --id\n${USAGE}`;
  const args: TokensArgs = id ? { action, tenant, id } : { action, tenant };
  for (const key of ["reason", "actor"] as const) {
    const value = options.get(key);
    if (value !== undefined) args[key] = value;
  }
  return args;
}

export async function runTokens(
  args: TokensArgs,
  tokens: TenantTokens,
  out: (text: string) => void,
  actor: (explicit: string | undefined) => string = defaultActor,
): Promise<number> {
  const by = { actor: actor(args.actor), ...(args.reason ? { reason: args.reason } : {}) };
  if (args.action === "create") {
    const created = await tokens.create(args.tenant, by);
    out(`token ${created.id} created for tenant ${args.tenant}; it is shown only now:\n${created.secret}\n`);
    return 0;
  }
  if (args.action === "list") {
    const list = await tokens.list(args.tenant);
    if (list.length === 0) out(`no tokens for tenant ${args.tenant}\n`);
    for (const t of list) out(`${t.id}  created ${t.created}  …${t.last4}\n`);
    return 0;
  }
  const removed = await tokens.revoke(args.tenant, args.id ?? "", by);
  out(removed ? `token ${args.id} revoked\n` : `no token ${args.id} for tenant ${args.tenant}\n`);
  return removed ? 0 : 1;
}

export const tokensCommand: CliCommand = {
  name: "tokens",
  summary: "create, list or revoke a tenant's SCIM bearer tokens",
  usage: USAGE,
  async run(argv) {
    const args = parseTokensArgs(argv);
    if (typeof args === "string") {
      process.stderr.write(args);
      return 2;
    }
    const config = loadConfig();
    if (!config.tenants.some((t) => t.id === args.tenant)) {
      const known = config.tenants.map((t) => t.id).join(", ") || "none";
      process.stderr.write(`unknown tenant ${args.tenant} (configured: ${known})\n`);
      return 2;
    }
    const redis = await connectRedisOnce(config);
    try {
      const tokens = new TenantTokens({ redis, audit: new AuditTrail({ redis }) });
      const run = () => runTokens(args, tokens, (text) => process.stdout.write(text));
      return await confirmTokenRevocation(
        config,
        redis,
        args.action,
        redisKeys.tenantTokens(args.tenant),
        run,
        (t) => process.stderr.write(t),
      );
    } finally {
      redis.disconnect();
    }
  },
};

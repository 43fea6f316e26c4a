// `keybridge admin token create --name N --role R | list | revoke --id ID`: manages the admin API's
// tokens (src/admin/admin-tokens.ts). The secret is printed once at creation; only its hash is stored.
import { AuditTrail } from "../audit/audit-trail";
import { ADMIN_ROLES, isAdminRole } from "../admin/admin-role";
import { AdminTokens } from "../admin/admin-tokens";
import { loadConfig } from "../config/load-config";
import { connectRedisOnce } from "../store/connect-redis-once";
import { confirmTokenRevocation } from "./confirm-token-revocation";
import { redisKeys } from "../store/redis-keys";
import type { CliCommand } from "./cli-command";
import { defaultActor } from "./default-actor";

const USAGE = `usage: keybridge admin token create --name <name> --role ${ADMIN_ROLES.join("|")} [--reason <text>] [--actor <name>]
       keybridge admin token list
       keybridge admin token revoke --id <tokenId> [--reason <text>] [--actor <name>]
  Admin tokens open the admin API (/admin/v1) and the console; SCIM tokens never do.
  Roles: viewer reads; operator also reconciles, clears attention, closes work items and revokes
  in an emergency; admin also manages admin tokens. create and revoke are audited.
`;

export interface AdminTokenArgs {
  action: "create" | "list" | "revoke";
  name?: string;
  role?: string;
  id?: string;
  reason?: string;
  actor?: string;
}

const FLAGS = ["--name", "--role", "--id", "--reason", "--actor"];

/** Parses the words after `admin`; returns a usage message instead of throwing. */
export function parseAdminArgs(argv: string[]): AdminTokenArgs | string {
  const [noun, action, ...rest] = argv;
  if (noun !== "token" || (action !== "create" && action !== "list" && action !== "revoke")) return USAGE;
  const args: AdminTokenArgs = { action };
  for (let i = 0; i < rest.length; i += 1) {
    const word = rest[i] ?? "";
    const eq = word.indexOf("=");
    const flag = eq < 0 ? word : word.slice(0, eq);
    if (!FLAGS.includes(flag)) return `unknown option ${word}\n${USAGE}`;
    const value = eq < 0 ? rest[++i] : word.slice(eq + 1);
    if (!value) return `${flag} needs a value\n${USAGE}`;
    args[flag.slice(2) as "name" | "role" | "id" | "reason" | "actor"] = value;
  }
  if (action === "create" && !args.name) return `create needs --name\n${USAGE}`;
  if (action === "create" && !isAdminRole(args.role))
    return `create needs --role ${ADMIN_ROLES.join("|")}\n${USAGE}`;
  if (action === "revoke" && !args.id) return `revoke needs --id\n${USAGE}`;
  return args;
}

export async function runAdminTokens(
  args: AdminTokenArgs,
  tokens: AdminTokens,
  out: (text: string) => void,
  actor: (explicit: string | undefined) => string = defaultActor,
): Promise<number> {
  const by = { actor: actor(args.actor), ...(args.reason ? { reason: args.reason } : {}) };
  if (args.action === "create" && isAdminRole(args.role)) {
    const created = await tokens.create(args.name ?? "", args.role, by);
    out(
      `admin token ${created.id} (${created.name}, ${created.role}) created; it is shown only now:\n${created.secret}\n`,
    );
    return 0;
  }
  if (args.action === "list") {
    const list = await tokens.list();
    if (list.length === 0) out("no admin tokens\n");
    for (const t of list) out(`${t.id}  ${t.role.padEnd(8)}  ${t.name}  created ${t.created}  …${t.last4}\n`);
    return 0;
  }
  const removed = await tokens.revoke(args.id ?? "", by);
  out(removed ? `admin token ${args.id} revoked\n` : `no admin token ${args.id}\n`);
  return removed ? 0 : 1;
}

export const adminCommand: CliCommand = {
  name: "admin",
  summary: "create, list or revoke admin API tokens (roles viewer, operator, admin)",
  usage: USAGE,
  async run(argv) {
    const args = parseAdminArgs(argv);
    if (typeof args === "string") {
      process.stderr.write(args);
      return 2;
    }
    const config = loadConfig();
    const redis = await connectRedisOnce(config);
    try {
      const tokens = new AdminTokens({ redis, audit: new AuditTrail({ redis }) });
      const run = () => runAdminTokens(args, tokens, (text) => process.stdout.write(text));
      return await confirmTokenRevocation(config, redis, args.action, redisKeys.adminTokens(), run, (t) =>
        process.stderr.write(t),
      );
    } finally {
      redis.disconnect();
    }
  },
};

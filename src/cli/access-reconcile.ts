// `keybridge access reconcile --tenant T --user U --reason R [--actor A]` (dispatched from `access`):
// reconciles one person now, at revocation priority when access would be removed (operations/).
import { parseArgs } from "node:util";
import { requestReconcile } from "../operations/request-reconcile";
import { resolvePerson } from "../operations/resolve-person";
import {
  checkTenant,
  defaultOperatorCliDeps,
  type OperatorCliDeps,
  openOperatorSession,
} from "./operator-session";

export const ACCESS_RECONCILE_USAGE = `usage: keybridge access reconcile --tenant <tenant> --user <user id or userName> --reason <text> [--actor <name>] [--json]
  Enqueues the person in every key system now (revocation priority when access would be removed) and
  records operator.reconcile_requested with the actor (default: <user>@<host>) and the reason.
`;

const OPTIONS = {
  tenant: { type: "string" },
  user: { type: "string" },
  reason: { type: "string" },
  actor: { type: "string" },
  json: { type: "boolean", default: false },
} as const;

export async function runAccessReconcile(
  argv: string[],
  deps: OperatorCliDeps = defaultOperatorCliDeps,
): Promise<number> {
  let values: { tenant?: string; user?: string; reason?: string; actor?: string; json?: boolean };
  try {
    values = parseArgs({ args: argv, options: OPTIONS, strict: true }).values;
  } catch (err) {
    deps.io.err(`keybridge access reconcile: ${(err as Error).message}\n${ACCESS_RECONCILE_USAGE}`);
    return 2;
  }
  if (!values.tenant || !values.user || !values.reason?.trim()) {
    deps.io.err(
      `keybridge access reconcile: --tenant, --user and --reason are required\n${ACCESS_RECONCILE_USAGE}`,
    );
    return 2;
  }
  const config = deps.loadConfig();
  if (!checkTenant(config, values.tenant, deps.io)) return 2;
  const session = await openOperatorSession(config);
  try {
    const personId = await resolvePerson(session.store, values.tenant, values.user);
    if (!personId) {
      deps.io.err(`keybridge access reconcile: no user ${values.user} in tenant ${values.tenant}\n`);
      return 1;
    }
    const request = { actor: deps.actor(values.actor), reason: values.reason };
    const result = await requestReconcile(session.deps, { tenant: values.tenant, personId }, request);
    if (values.json) {
      deps.io.out(`${JSON.stringify({ personId, ...result }, null, 2)}\n`);
      return 0;
    }
    for (const [system, priority] of Object.entries(result.systems))
      deps.io.out(
        priority === "deferred"
          ? `${system}: not configured; the person waits until it is\n`
          : `${system}: enqueued at priority ${priority}${priority === 1 ? " (revocation)" : ""}\n`,
      );
    deps.io.out(`person ${personId}: reconcile requested (${result.correlationId})\n`);
    return 0;
  } finally {
    await session.close();
  }
}

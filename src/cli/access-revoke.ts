// `keybridge access revoke|lift|approve` (dispatched from `access`): the CLI front end of the emergency
// revoke in src/operations/ — the admin API calls the same functions. With admin.fourEyes, `revoke`
// only files a request that a second operator approves with `approve --request ID`.
import { parseArgs } from "node:util";
import { emergencyRevoke, liftSuspension } from "../operations/emergency-revoke";
import { approveEmergencyRevoke, requestEmergencyRevoke } from "../operations/four-eyes";
import { resolvePerson } from "../operations/resolve-person";
import {
  checkTenant,
  defaultOperatorCliDeps,
  type OperatorCliDeps,
  openOperatorSession,
} from "./operator-session";

export const ACCESS_REVOKE_USAGE = `usage: keybridge access revoke --tenant <tenant> --user <user id or userName> [--system <id>]... [--lost-key] --reason <text> [--actor <name>]
       keybridge access lift --tenant <tenant> --user <user id or userName> --reason <text> [--actor <name>]
       keybridge access approve --tenant <tenant> --request <id> --reason <text> [--actor <name>]
  revoke: emergency revoke / lost key. The mappings desire nothing for the person in the systems named
  (default: all) until lifted; enqueued at revocation priority; audited operator.emergency_revoked.
  --lost-key also revokes the person's credentials as lost, so the key system blocks the key itself.
  With admin.fourEyes: true, revoke files a request and a second operator runs approve.
`;

const OPTIONS = {
  tenant: { type: "string" },
  user: { type: "string" },
  system: { type: "string", multiple: true },
  "lost-key": { type: "boolean", default: false },
  request: { type: "string" },
  reason: { type: "string" },
  actor: { type: "string" },
} as const;

export async function runAccessRevoke(
  action: "revoke" | "lift" | "approve",
  argv: string[],
  deps: OperatorCliDeps = defaultOperatorCliDeps,
): Promise<number> {
  let values: {
    tenant?: string;
    user?: string;
    system?: string[];
    request?: string;
    reason?: string;
    actor?: string;
    "lost-key"?: boolean;
  };
  try {
    values = parseArgs({ args: argv, options: OPTIONS, strict: true }).values;
  } catch (err) {
    deps.io.err(`keybridge access ${action}: ${(err as Error).message}\n${ACCESS_REVOKE_USAGE}`);
    return 2;
  }
  const who = action === "approve" ? values.request : values.user;
  if (!values.tenant || !who || !values.reason?.trim()) {
    deps.io.err(`keybridge access ${action}: missing a required option\n${ACCESS_REVOKE_USAGE}`);
    return 2;
  }
  const config = deps.loadConfig();
  if (!checkTenant(config, values.tenant, deps.io)) return 2;
  const session = await openOperatorSession(config);
  try {
    const request = { actor: deps.actor(values.actor), reason: values.reason };
    const tenant = values.tenant;
    if (action === "approve") {
      const done = await approveEmergencyRevoke(session.deps, { tenant, id: who }, request);
      deps.io.out(`emergency revoke ${who} approved and applied (${done.correlationId})\n`);
      return 0;
    }
    const personId = await resolvePerson(session.store, tenant, who);
    if (!personId) {
      deps.io.err(`keybridge access ${action}: no user ${who} in tenant ${tenant}\n`);
      return 1;
    }
    if (action === "lift") {
      const lifted = await liftSuspension(session.deps, { tenant, personId }, request);
      deps.io.out(lifted ? `person ${personId}: suspension lifted\n` : `person ${personId}: not suspended\n`);
      return lifted ? 0 : 1;
    }
    const lostKey = values["lost-key"] === true;
    const target = { tenant, personId, systems: values.system ?? [], ...(lostKey ? { lostKey } : {}) };
    if (config.admin.fourEyes) {
      const pending = await requestEmergencyRevoke(session.deps, target, request);
      deps.io.out(`emergency revoke requested (${pending.id}); a second operator must approve it\n`);
      return 0;
    }
    const done = await emergencyRevoke(session.deps, target, request);
    for (const [system, priority] of Object.entries(done.enqueued))
      deps.io.out(`${system}: enqueued at ${priority}\n`);
    deps.io.out(`person ${personId}: emergency revoke in force (${done.correlationId})\n`);
    return 0;
  } finally {
    await session.close();
  }
}

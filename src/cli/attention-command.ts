// `keybridge attention list|clear`: the persons the pipeline stopped retrying, and clearing a flag once
// an operator has dealt with it (audited as operator.attention_cleared, operations/clear-attention.ts).
import { parseArgs } from "node:util";
import { clearAttention, listAttention } from "../operations/clear-attention";
import { resolvePerson } from "../operations/resolve-person";
import type { AttentionFlag } from "../reconcile/grant-ledger";
import type { CliCommand } from "./cli-command";
import {
  checkTenant,
  defaultOperatorCliDeps,
  type OperatorCliDeps,
  openOperatorSession,
} from "./operator-session";

export const ATTENTION_USAGE = `usage:
  keybridge attention list --tenant <tenant> [--user <id or userName>] [--system <key system>] [--json]
  keybridge attention clear --tenant <tenant> --user <id or userName> [--system <key system>] --reason <text> [--actor <name>]
  clear removes the flag (every key system's unless --system) without reconciling; run
  \`keybridge access reconcile\` to retry the person.
`;

const OPTIONS = {
  tenant: { type: "string" },
  user: { type: "string" },
  system: { type: "string" },
  reason: { type: "string" },
  actor: { type: "string" },
  json: { type: "boolean", default: false },
} as const;

type Values = {
  tenant?: string;
  user?: string;
  system?: string;
  reason?: string;
  actor?: string;
  json?: boolean;
};

function formatFlag(f: AttentionFlag): string {
  const error = f.error ? ` ${f.error.code}: ${f.error.message}` : "";
  return `${f.personId}  ${f.system}  ${f.kind} since ${f.at}${error}\n`;
}

function usageError(deps: OperatorCliDeps, problem: string): number {
  deps.io.err(`keybridge attention: ${problem}\n${ATTENTION_USAGE}`);
  return 2;
}

export async function runAttention(
  argv: string[],
  deps: OperatorCliDeps = defaultOperatorCliDeps,
): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== "list" && sub !== "clear") return usageError(deps, "list or clear?");
  let values: Values;
  try {
    values = parseArgs({ args: rest, options: OPTIONS, strict: true }).values;
  } catch (err) {
    return usageError(deps, (err as Error).message);
  }
  if (!values.tenant) return usageError(deps, "--tenant is required");
  if (sub === "clear" && (!values.user || !values.reason?.trim()))
    return usageError(deps, "clear needs --user and --reason");
  const config = deps.loadConfig();
  if (!checkTenant(config, values.tenant, deps.io)) return 2;
  const session = await openOperatorSession(config);
  try {
    const personId = values.user ? await resolvePerson(session.store, values.tenant, values.user) : undefined;
    if (personId === null) {
      deps.io.err(`keybridge attention: no user ${values.user} in tenant ${values.tenant}\n`);
      return 1;
    }
    const target = { tenant: values.tenant, personId, system: values.system };
    if (sub === "list") {
      const flags = await listAttention(session.ledger, values.tenant, target);
      if (values.json) deps.io.out(`${JSON.stringify(flags, null, 2)}\n`);
      else if (flags.length === 0) deps.io.out(`no person needs attention in tenant ${values.tenant}\n`);
      else for (const f of flags) deps.io.out(formatFlag(f));
      return 0;
    }
    const request = { actor: deps.actor(values.actor), reason: values.reason ?? "" };
    const cleared = await clearAttention(session.deps, { ...target, personId: personId! }, request);
    if (cleared.length === 0) {
      deps.io.err(
        `keybridge attention: person ${personId} has no attention flag${values.system ? ` in ${values.system}` : ""}\n`,
      );
      return 1;
    }
    for (const f of cleared) deps.io.out(`cleared ${f.system} (${f.kind}) for person ${f.personId}\n`);
    return 0;
  } finally {
    await session.close();
  }
}

export const attentionCommand: CliCommand = {
  name: "attention",
  summary: "list persons needing attention, or clear a flag once dealt with (audited)",
  usage: ATTENTION_USAGE,
  run: (argv) => runAttention(argv),
};

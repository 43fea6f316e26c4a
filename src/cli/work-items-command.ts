// `keybridge work-items list|done`: the manual tasks key systems asked for (hand in a key, program it
// at a station), and closing one an operator has done (audited, operations/complete-work-item.ts).
import { parseArgs } from "node:util";
import { completeWorkItem, listWorkItems } from "../operations/complete-work-item";
import type { WorkItem } from "../reconcile/grant-ledger";
import type { CliCommand } from "./cli-command";
import {
  checkTenant,
  defaultOperatorCliDeps,
  type OperatorCliDeps,
  openOperatorSession,
} from "./operator-session";

export const WORK_ITEMS_USAGE = `usage:
  keybridge work-items list [--tenant <tenant>] [--system <key system>] [--json]
  keybridge work-items done <id> --reason <text> [--tenant <tenant>] [--actor <name>]
  done closes the item, clears a manual-action flag it stood for and reconciles the person at once.
`;

const OPTIONS = {
  tenant: { type: "string" },
  system: { type: "string" },
  reason: { type: "string" },
  actor: { type: "string" },
  json: { type: "boolean", default: false },
} as const;

function formatItem(w: WorkItem): string {
  return `${w.id}  ${w.tenant}  ${w.system}  person ${w.personId}  ${w.task.kind} (${w.task.reason})  since ${w.createdAt}\n`;
}

function usageError(deps: OperatorCliDeps, problem: string): number {
  deps.io.err(`keybridge work-items: ${problem}\n${WORK_ITEMS_USAGE}`);
  return 2;
}

export async function runWorkItems(
  argv: string[],
  deps: OperatorCliDeps = defaultOperatorCliDeps,
): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== "list" && sub !== "done") return usageError(deps, "list or done?");
  let parsed: {
    values: { tenant?: string; system?: string; reason?: string; actor?: string; json?: boolean };
    positionals: string[];
  };
  try {
    parsed = parseArgs({ args: rest, options: OPTIONS, strict: true, allowPositionals: true });
  } catch (err) {
    return usageError(deps, (err as Error).message);
  }
  const { values, positionals } = parsed;
  const id = positionals[0];
  if (sub === "done" && (!id || !values.reason?.trim()))
    return usageError(deps, "done needs an <id> and --reason");
  const config = deps.loadConfig();
  if (values.tenant && !checkTenant(config, values.tenant, deps.io)) return 2;
  const tenants = values.tenant ? [values.tenant] : config.tenants.map((t) => t.id);
  const session = await openOperatorSession(config);
  try {
    if (sub === "list") {
      const items = await listWorkItems(session.ledger, tenants, { system: values.system });
      if (values.json) deps.io.out(`${JSON.stringify(items, null, 2)}\n`);
      else if (items.length === 0) deps.io.out("no open work items\n");
      else for (const w of items) deps.io.out(formatItem(w));
      return 0;
    }
    const request = { actor: deps.actor(values.actor), reason: values.reason ?? "" };
    const done = await completeWorkItem(session.deps, { tenants, id: id! }, request);
    if (!done) {
      deps.io.err(`keybridge work-items: no open work item ${id}\n`);
      return 1;
    }
    deps.io.out(`work item ${done.id} done; person ${done.personId} is reconciled in ${done.system} now\n`);
    return 0;
  } finally {
    await session.close();
  }
}

export const workItemsCommand: CliCommand = {
  name: "work-items",
  summary: "list manual work items, or mark one done (audited)",
  usage: WORK_ITEMS_USAGE,
  run: (argv) => runWorkItems(argv),
};

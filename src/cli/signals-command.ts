// `keybridge signals report|status|lift`: what the fast revocation channels did and left open
// (signals/signals-report.ts), each channel's health (signals/channel-state.ts), and an operator's
// audited lift of a person's signal suspension (operations/lift-signal-hold.ts).
import { parseArgs } from "node:util";
import { liftSignalHold } from "../operations/lift-signal-hold";
import { resolvePerson } from "../operations/resolve-person";
import { readChannelState } from "../signals/channel-state";
import { SIGNAL_CHANNELS } from "../signals/idp-signal";
import { buildSignalsReport } from "../signals/signals-report";
import type { CliCommand } from "./cli-command";
import {
  checkTenant,
  defaultOperatorCliDeps,
  type OperatorCliDeps,
  type OperatorSession,
  openOperatorSession,
} from "./operator-session";
import { formatChannelStates, formatSignalsReport } from "./format-signals";

export const SIGNALS_USAGE = `usage:
  keybridge signals report --tenant <tenant> [--json]
  keybridge signals status --tenant <tenant> [--json]
  keybridge signals lift --tenant <tenant> --person <id or userName> --reason <text> [--actor <name>]
  lift ends a person's suspension by IdP signal (and groups a signal suppressed), audited, then reconciles.
`;

const OPTIONS = {
  tenant: { type: "string" },
  person: { type: "string" },
  reason: { type: "string" },
  actor: { type: "string" },
  json: { type: "boolean", default: false },
} as const;

type Values = { tenant?: string; person?: string; reason?: string; actor?: string; json?: boolean };

function usageError(deps: OperatorCliDeps, problem: string): number {
  deps.io.err(`keybridge signals: ${problem}\n${SIGNALS_USAGE}`);
  return 2;
}

export async function runSignals(
  argv: string[],
  deps: OperatorCliDeps = defaultOperatorCliDeps,
): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== "report" && sub !== "status" && sub !== "lift")
    return usageError(deps, "report, status or lift?");
  let values: Values;
  try {
    values = parseArgs({ args: rest, options: OPTIONS, strict: true }).values;
  } catch (err) {
    return usageError(deps, (err as Error).message);
  }
  if (!values.tenant) return usageError(deps, "--tenant is required");
  if (sub === "lift" && (!values.person || !values.reason?.trim()))
    return usageError(deps, "lift needs --person and --reason");
  const config = deps.loadConfig();
  if (!checkTenant(config, values.tenant, deps.io)) return 2;
  const session = await openOperatorSession(config);
  try {
    if (sub === "lift") return await lift(session, deps, values as Required<Values>);
    const tenant = values.tenant;
    const result =
      sub === "report"
        ? await buildSignalsReport(
            {
              redis: session.redis,
              directory: session.store,
              ledger: session.ledger,
              systems: () => session.deps.access.systems(),
              now: () => new Date(),
            },
            tenant,
          )
        : await Promise.all(SIGNAL_CHANNELS.map((c) => readChannelState(session.redis, tenant, c)));
    if (values.json) deps.io.out(`${JSON.stringify(result, null, 2)}\n`);
    else if (Array.isArray(result)) deps.io.out(formatChannelStates(tenant, result));
    else deps.io.out(formatSignalsReport(result));
    return 0;
  } finally {
    await session.close();
  }
}

async function lift(
  session: OperatorSession,
  deps: OperatorCliDeps,
  values: Required<Values>,
): Promise<number> {
  const personId = await resolvePerson(session.store, values.tenant, values.person);
  if (personId === null) {
    deps.io.err(`keybridge signals: no person ${values.person} in tenant ${values.tenant}\n`);
    return 1;
  }
  const request = { actor: deps.actor(values.actor), reason: values.reason };
  const done = await liftSignalHold(
    { ...session.deps, redis: session.redis },
    { tenant: values.tenant, personId },
    request,
  );
  if (!done.lifted) {
    deps.io.err(`keybridge signals: person ${personId} is not held by any signal\n`);
    return 1;
  }
  deps.io.out(
    `lifted the signal hold on person ${personId} (correlation ${done.correlationId}); reconcile enqueued\n`,
  );
  return 0;
}

export const signalsCommand: CliCommand = {
  name: "signals",
  summary: "fast revocation signals: report what is open, channel status, lift a suspension (audited)",
  usage: SIGNALS_USAGE,
  run: (argv) => runSignals(argv),
};

// `keybridge access explain`: why a person should hold (or not hold) each profile under the mappings.
import { parseArgs } from "node:util";
import { loadConfig } from "../config/load-config";
import { explainPerson } from "../mapping/explain-person";
import { ACCESS_RECONCILE_USAGE, runAccessReconcile } from "./access-reconcile";
import { ACCESS_REVOKE_USAGE, runAccessRevoke } from "./access-revoke";
import { ACCESS_STATUS_USAGE, runAccessStatus } from "./access-status";
import { formatExplanation } from "../mapping/format-explanation";
import { loadCheckedMappings } from "../runtime/driver-scope-schemas";
import { formatProblem, isMappingError } from "../mapping/mapping-error";
import type { CliCommand } from "./cli-command";
import type { CommandIo } from "./mappings-command";
import { isPersonSourceError, openPersonSource, type PersonSource } from "./person-source";

const USAGE = `usage:
  keybridge access explain --tenant T --user <userName|id> [--json] [--mappings dir] [--now ISO] [--persons file.json]
`;

const OPTIONS = {
  tenant: { type: "string" },
  user: { type: "string" },
  mappings: { type: "string" },
  persons: { type: "string" },
  now: { type: "string" },
  json: { type: "boolean", default: false },
} as const;

const stdio: CommandIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

export async function runAccessCommand(argv: string[], io: CommandIo = stdio): Promise<number> {
  const [sub, ...rest] = argv;
  let values: {
    tenant?: string;
    user?: string;
    mappings?: string;
    persons?: string;
    now?: string;
    json?: boolean;
  };
  try {
    values = parseArgs({ args: rest, options: OPTIONS }).values;
  } catch (err) {
    io.err(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (sub !== "explain" || !values.tenant || !values.user) {
    io.err(USAGE);
    return 2;
  }
  const config = loadConfig();
  const now = values.now ? new Date(values.now) : new Date();
  if (Number.isNaN(now.getTime())) {
    io.err("--now: not an ISO 8601 instant\n");
    return 2;
  }
  let mappings: ReturnType<typeof loadCheckedMappings>;
  try {
    mappings = loadCheckedMappings(values.mappings ?? config.mappingsDir);
  } catch (err) {
    if (!isMappingError(err)) throw err;
    for (const p of err.problems) io.err(`error: ${formatProblem(p)}\n`);
    return 1;
  }
  let source: PersonSource;
  try {
    source = await openPersonSource(config, values.persons);
  } catch (err) {
    if (!isPersonSourceError(err)) throw err;
    io.err(`${err.message}\n`);
    return 1;
  }
  try {
    const person = await source.findPerson(values.tenant, values.user);
    if (!person) {
      io.err(`no person "${values.user}" in tenant "${values.tenant}"\n`);
      return 1;
    }
    const explained = explainPerson(person, values.tenant, mappings, now);
    io.out(values.json ? `${JSON.stringify(explained, null, 2)}\n` : formatExplanation(explained));
    return 0;
  } finally {
    await source.close();
  }
}

export const accessCommand: CliCommand = {
  name: "access",
  summary:
    "explain a person's desired access (explain), show its state per key system (status), reconcile it now (reconcile), emergency revoke (revoke, lift, approve)",
  usage: `${USAGE}${ACCESS_STATUS_USAGE}${ACCESS_RECONCILE_USAGE}${ACCESS_REVOKE_USAGE}`,
  run: (argv) =>
    argv[0] === "revoke" || argv[0] === "lift" || argv[0] === "approve"
      ? runAccessRevoke(argv[0], argv.slice(1))
      : argv[0] === "status"
        ? runAccessStatus(argv.slice(1))
        : argv[0] === "reconcile"
          ? runAccessReconcile(argv.slice(1))
          : runAccessCommand(argv),
};

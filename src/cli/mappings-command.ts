// `keybridge mappings check|plan|schema`: validate mapping files, preview the effect of a mapping change
// on every person, print the JSON Schema for editors.
import { loadMappingsForDrivers } from "../runtime/build-drivers";
import { parseArgs } from "node:util";
import { loadConfig } from "../config/load-config";
import { checkGroupReferences } from "../mapping/check-group-references";
import { formatPlan } from "../mapping/format-plan";
import { formatProblem, isMappingError, type MappingProblem } from "../mapping/mapping-error";
import { mappingJsonSchema } from "../mapping/mapping-json-schema";
import { createMappingPlan } from "../mapping/plan-mapping-change";
import type { CliCommand } from "./cli-command";
import { isPersonSourceError, openPersonSource } from "./person-source";

const USAGE = `usage:
  keybridge mappings check [dir] [--tenant T] [--persons file.json]
  keybridge mappings plan [dir] [--tenant T] [--json] [--limit N] [--now ISO] [--persons file.json]
  keybridge mappings schema
`;

const OPTIONS = {
  tenant: { type: "string" },
  persons: { type: "string" },
  json: { type: "boolean", default: false },
  limit: { type: "string", default: "50" },
  now: { type: "string" },
} as const;

export interface CommandIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const stdio: CommandIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

function printProblems(io: CommandIo, label: string, problems: MappingProblem[]): void {
  for (const p of problems) io.err(`${label}: ${formatProblem(p)}\n`);
}

/** Loads a directory, printing its problems; null when invalid. */
function tryLoad(io: CommandIo, dir: string) {
  try {
    return loadMappingsForDrivers(dir);
  } catch (err) {
    if (!isMappingError(err)) throw err;
    printProblems(io, "error", err.problems);
    return null;
  }
}

async function check(
  io: CommandIo,
  dirArg: string | undefined,
  tenant?: string,
  persons?: string,
): Promise<number> {
  const dir = dirArg ?? loadConfig().mappingsDir;
  const mappings = tryLoad(io, dir);
  if (!mappings) return 1;
  let warnings: MappingProblem[] = [];
  if (tenant) {
    const source = await openPersonSource(loadConfig(), persons);
    try {
      warnings = checkGroupReferences(mappings, await source.groups(tenant), tenant);
    } finally {
      await source.close();
    }
  }
  printProblems(io, "warning", warnings);
  const s = mappings;
  io.out(
    `${dir}: ok — ${s.keySystems.size} key system(s), ${s.profiles.size} profile(s), ${s.rules.length} rule(s), ` +
      `${warnings.length} warning(s), fingerprint ${s.fingerprint.slice(0, 12)}\n`,
  );
  return 0;
}

async function plan(
  io: CommandIo,
  dirArg: string | undefined,
  values: Record<string, string | boolean | undefined>,
) {
  const config = loadConfig();
  const candidateDir = dirArg ?? config.mappingsDir;
  const current = tryLoad(io, config.mappingsDir);
  const candidate = tryLoad(io, candidateDir);
  if (!current || !candidate) return 1;
  const now = typeof values.now === "string" ? new Date(values.now) : new Date();
  if (Number.isNaN(now.getTime())) {
    io.err("--now: not an ISO 8601 instant\n");
    return 2;
  }
  const tenants = typeof values.tenant === "string" ? [values.tenant] : config.tenants.map((t) => t.id);
  const source = await openPersonSource(config, values.persons as string | undefined);
  const builder = createMappingPlan(current, candidate, now);
  try {
    for (const tenant of tenants) for await (const p of source.persons(tenant)) builder.add(p);
  } finally {
    await source.close();
  }
  const result = builder.result();
  io.out(
    values.json ? `${JSON.stringify(result, null, 2)}\n` : formatPlan(result, Number(values.limit) || 50),
  );
  return 0;
}

/** Exposed with injectable output so tests can run it in-process. */
export async function runMappingsCommand(argv: string[], io: CommandIo = stdio): Promise<number> {
  const [sub, ...rest] = argv;
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true });
  } catch (err) {
    io.err(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    io.err(USAGE);
    return 2;
  }
  try {
    if (sub === "check") return await check(io, positionals[0], values.tenant, values.persons);
    if (sub === "plan") return await plan(io, positionals[0], values);
  } catch (err) {
    if (!isPersonSourceError(err)) throw err;
    io.err(`${err.message}\n`);
    return 1;
  }
  if (sub === "schema") {
    io.out(`${JSON.stringify(mappingJsonSchema(), null, 2)}\n`);
    return 0;
  }
  io.err(USAGE);
  return 2;
}

export const mappingsCommand: CliCommand = {
  name: "mappings",
  summary: "check mapping files, plan a mapping change, print the JSON Schema",
  usage: USAGE,
  run: (argv) => runMappingsCommand(argv),
};

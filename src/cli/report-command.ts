// `keybridge report evidence`: the auditor's evidence report (src/report/) from the live trail in
// Redis, or from an audit export alone (`--from-export`), as html, csv or json.
import { writeFile } from "node:fs/promises";
import { basename } from "node:path";
import { parseArgs } from "node:util";
import { AuditTrail } from "../audit/audit-trail";
import type { Config } from "../config/config-schema";
import { loadConfig } from "../config/load-config";
import { GrantLedger } from "../reconcile/grant-ledger";
import { buildEvidenceReport, type EvidenceReport } from "../report/evidence-report";
import { configuredOfflineBounds, type EvidenceWindow } from "../report/live-evidence-report";
import type { OfflineBound } from "../report/offline-bounds";
import { readExportRecords } from "../report/read-export-records";
import {
  type EvidenceFormat,
  isEvidenceFormat,
  renderEvidence,
  reportEvidence,
} from "../operations/report-evidence";
import { loadCheckedMappings } from "../runtime/driver-scope-schemas";
import { connectRedisOnce } from "../store/connect-redis-once";
import { RedisDirectoryStore } from "../store/directory-store";
import type { CliCommand } from "./cli-command";
import { defaultActor } from "./default-actor";

export const REPORT_USAGE = `usage:
  keybridge report evidence --tenant T --since <ISO> --until <ISO> [--format html|csv|json] [--out <file>]
  keybridge report evidence --from-export <file.jsonl> --tenant T [--since <ISO>] [--until <ISO>] [--format ...] [--out <file>]
`;

export interface ReportCommandDeps {
  loadConfig: () => Config;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  operator: () => string;
  clock: () => Date;
}

class UsageError extends Error {}

function parseTime(name: string, text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--${name} must be an ISO 8601 time`);
  return date;
}

const OPTIONS = {
  tenant: { type: "string" },
  since: { type: "string" },
  until: { type: "string" },
  format: { type: "string", default: "html" },
  out: { type: "string" },
  "from-export": { type: "string" },
} as const;

interface ReportArgs {
  tenant: string;
  since?: Date;
  until?: Date;
  format: EvidenceFormat;
  out?: string;
  fromExport?: string;
}

function parseReportArgs(argv: string[]): ReportArgs {
  const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true });
  if (!values.tenant) throw new UsageError("--tenant is required");
  if (!isEvidenceFormat(values.format)) throw new UsageError("--format must be html, csv or json");
  const args: ReportArgs = {
    tenant: values.tenant,
    since: parseTime("since", values.since),
    until: parseTime("until", values.until),
    format: values.format as ReportArgs["format"],
    out: values.out,
    fromExport: values["from-export"],
  };
  if (!args.fromExport && (!args.since || !args.until))
    throw new UsageError("--since and --until are required (or --from-export)");
  if (args.since && args.until && args.since >= args.until)
    throw new UsageError("--since must be before --until");
  return args;
}

/** From an export: the window defaults to the export's first record up to just after its last. */
async function reportFromExport(args: ReportArgs, config: Config, now: Date): Promise<EvidenceReport> {
  const { records, unreadable } = await readExportRecords(args.fromExport!);
  const since = args.since ?? new Date(records[0]?.time ?? now);
  const until = args.until ?? new Date(Date.parse(records.at(-1)?.time ?? now.toISOString()) + 1);
  return buildEvidenceReport({
    records,
    unreadable,
    tenant: args.tenant,
    window: { since: since.toISOString(), until: until.toISOString() },
    generatedAt: now.toISOString(),
    auditSource: `export:${basename(args.fromExport!)}`,
    offlineBounds: exportOfflineBounds(config),
  });
}

/**
 * The offline bounds need the key systems' configuration, which an auditor checking an export on
 * another machine may not have: then the report shows none rather than refusing to be built.
 */
function exportOfflineBounds(config: Config): OfflineBound[] {
  try {
    return configuredOfflineBounds(config, loadCheckedMappings(config.mappingsDir));
  } catch {
    return [];
  }
}

async function liveReport(
  args: ReportArgs,
  config: Config,
  deps: ReportCommandDeps,
): Promise<EvidenceReport> {
  const redis = await connectRedisOnce(config);
  try {
    const store = new RedisDirectoryStore({ redis });
    const window: EvidenceWindow = { tenant: args.tenant, since: args.since!, until: args.until! };
    // The report is a review: reportEvidence documents it in the trail (operator.evidence_reported).
    return await reportEvidence(
      {
        redis,
        ledger: new GrantLedger(redis),
        getUser: (tenant, id) => store.getUser(tenant, id),
        mappings: loadCheckedMappings(config.mappingsDir),
        config,
        clock: deps.clock,
        audit: new AuditTrail({ redis }),
      },
      window,
      deps.operator(),
    );
  } finally {
    redis.disconnect();
  }
}

async function runEvidence(argv: string[], deps: ReportCommandDeps): Promise<number> {
  const args = parseReportArgs(argv);
  const config = deps.loadConfig();
  // An export names its tenants itself; a live read of a mistyped tenant would report an empty window.
  if (!args.fromExport && !config.tenants.some((t) => t.id === args.tenant))
    throw new UsageError(`unknown tenant ${args.tenant}`);
  const report = args.fromExport
    ? await reportFromExport(args, config, deps.clock())
    : await liveReport(args, config, deps);
  const { text } = renderEvidence(report, args.format);
  // A report is evidence: never overwrite an existing file ("wx"), as audit export does.
  if (args.out) await writeFile(args.out, text, { flag: "wx" });
  else deps.stdout.write(text);
  const t = report.figures.terminations;
  deps.stderr.write(
    `evidence: ${report.changes.length} changes, ${t.total} terminations, within 24h ${t.within24hPercent === undefined ? "n/a" : `${t.within24hPercent}%`}\n`,
  );
  return 0;
}

export function createReportCommand(deps: ReportCommandDeps): CliCommand {
  return {
    name: "report",
    summary: "the auditor's evidence report (grants, revocations, termination clocks, register)",
    usage: REPORT_USAGE,
    async run(argv) {
      const [sub, ...rest] = argv;
      if (sub !== "evidence") {
        deps.stderr.write(REPORT_USAGE);
        return 2;
      }
      try {
        return await runEvidence(rest, deps);
      } catch (err) {
        const code = (err as { code?: string }).code;
        const usage = err instanceof UsageError || code?.startsWith("ERR_PARSE_ARGS") === true;
        if (!usage && code !== "EEXIST") throw err;
        const message =
          code === "EEXIST"
            ? "--out names an existing file; a report is never overwritten"
            : (err as Error).message;
        deps.stderr.write(`keybridge report: ${message}\n${REPORT_USAGE}`);
        return 2;
      }
    },
  };
}

export const reportCommand = createReportCommand({
  loadConfig: () => loadConfig(),
  stdout: process.stdout,
  stderr: process.stderr,
  operator: () => defaultActor(undefined),
  clock: () => new Date(),
});

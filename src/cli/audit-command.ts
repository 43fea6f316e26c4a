// `keybridge audit verify|export`: checks the hash chain (exit 1 on tampering) and writes records as
// JSON Lines for a regulator or a SIEM, reading REDIS_URL through loadConfig().
import { createWriteStream } from "node:fs";
import { parseArgs } from "node:util";
import type { RedisClient } from "../store/create-redis-client";
import { AuditTrail } from "../audit/audit-trail";
import { type AuditExportFilter, exportAudit } from "../audit/export-audit";
import { recordAuditExport } from "../operations/record-audit-export";
import { verifyAudit } from "../audit/verify-audit";
import type { Config } from "../config/config-schema";
import { loadConfig } from "../config/load-config";
import type { CliCommand } from "./cli-command";
import { defaultActor } from "./default-actor";
import { connectRedisOnce } from "../store/connect-redis-once";

export const AUDIT_USAGE = `usage:
  keybridge audit verify [--anchor <seq>:<hash>]
  keybridge audit export [--since <ISO>] [--until <ISO>] [--person <id>] [--tenant <id>] [--out <file>]
`;

export interface AuditCommandDeps {
  loadConfig: () => Config;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** The operator recorded as the actor of operator.audit_exported. */
  operator: () => string;
}

class UsageError extends Error {}

function parseAnchor(text: string | undefined): { seq: number; hash: string } | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+):([0-9a-f]{64})$/.exec(text);
  if (!match) throw new UsageError("--anchor must be <seq>:<64 hex digits>, as printed by audit verify");
  return { seq: Number(match[1]), hash: match[2]! };
}

function parseTime(name: string, text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--${name} must be an ISO 8601 time`);
  return date;
}

async function runVerify(redis: RedisClient, argv: string[], deps: AuditCommandDeps): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { anchor: { type: "string" } }, strict: true });
  const anchor = parseAnchor(values.anchor);
  const result = await verifyAudit(redis, { anchor });
  if (result.ok) {
    deps.stdout.write(`ok: ${result.count} records; head ${result.head.seq}:${result.head.hash}\n`);
    return 0;
  }
  const bad = result.firstBad!;
  const detail = bad.detail ? ` (${bad.detail})` : "";
  deps.stdout.write(`TAMPERED: seq ${bad.seq} ${bad.problem}${detail}; ${result.count} records read\n`);
  return 1;
}

function exportFilter(argv: string[]): { filter: AuditExportFilter; out?: string } {
  const { values } = parseArgs({
    args: argv,
    options: {
      since: { type: "string" },
      until: { type: "string" },
      person: { type: "string" },
      tenant: { type: "string" },
      out: { type: "string" },
    },
    strict: true,
  });
  const filter: AuditExportFilter = {
    since: parseTime("since", values.since),
    until: parseTime("until", values.until),
  };
  if (filter.since && filter.until && filter.since >= filter.until)
    throw new UsageError("--since must be before --until");
  if (values.person !== undefined) filter.person = values.person;
  if (values.tenant !== undefined) filter.tenant = values.tenant;
  return { filter, out: values.out };
}

async function runExport(redis: RedisClient, argv: string[], deps: AuditCommandDeps): Promise<number> {
  const { filter, out } = exportFilter(argv);
  // An export is evidence: never overwrite an existing file ("wx").
  const file = out === undefined ? undefined : createWriteStream(out, { flags: "wx" });
  if (file)
    await new Promise((resolve, reject) => file.once("open", resolve).once("error", reject)).catch((err) => {
      const exists = (err as { code?: unknown }).code === "EEXIST";
      throw exists ? new UsageError("--out names an existing file; an export is never overwritten") : err;
    });
  const result = await exportAudit(redis, filter, file ?? deps.stdout);
  if (file) await new Promise<void>((resolve, reject) => file.end(resolve).once("error", reject));
  await recordAuditExport(new AuditTrail({ redis }), filter, deps.operator(), result.count);
  deps.stderr.write(`exported ${result.count} records\n`);
  if (result.skipped > 0)
    deps.stderr.write(`skipped ${result.skipped} entries that are not records; run audit verify\n`);
  return 0;
}

export function createAuditCommand(deps: AuditCommandDeps): CliCommand {
  return {
    name: "audit",
    summary: "verify the hash-chained audit trail or export it as JSON Lines",
    usage: AUDIT_USAGE,
    async run(argv) {
      const [sub, ...rest] = argv;
      const action = sub === "verify" ? runVerify : sub === "export" ? runExport : undefined;
      if (!action) {
        deps.stderr.write(AUDIT_USAGE);
        return 2;
      }
      const redis = await connectRedisOnce(deps.loadConfig());
      try {
        return await action(redis, rest, deps);
      } catch (err) {
        if (
          !(err instanceof UsageError) &&
          (err as { code?: string }).code !== "ERR_PARSE_ARGS_UNKNOWN_OPTION"
        )
          throw err;
        deps.stderr.write(`keybridge audit: ${(err as Error).message}\n${AUDIT_USAGE}`);
        return 2;
      } finally {
        redis.disconnect();
      }
    },
  };
}

export const auditCommand = createAuditCommand({
  loadConfig: () => loadConfig(),
  stdout: process.stdout,
  stderr: process.stderr,
  operator: () => defaultActor(undefined),
});

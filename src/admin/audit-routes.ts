// Admin API routes for evidence and change review: audit search (by person, event type, time, tenant),
// audit export as JSON Lines (each line still verifies; the export itself is audited), and the mapping
// plan preview — who gains and who loses what if the mapping files on disk were reloaded now.
import { type Request, type Response, Router } from "express";
import { type AuditExportFilter, auditRecords, exportAudit } from "../audit/export-audit";
import type { AuditRecord } from "../audit/audit-record";
import { directoryPersonSource } from "../cli/person-source";
import { createMappingPlan } from "../mapping/plan-mapping-change";
import { isMappingError } from "../mapping/mapping-error";
import { recordAuditExport } from "../operations/record-audit-export";
import { loadCheckedMappings } from "../runtime/driver-scope-schemas";
import { type AdminContext, tenantsOf } from "./admin-context";
import { auditActorOf } from "./admin-role";
import { invalidRequest } from "./admin-error";
import { actorOf, requireRole } from "./require-role";

const MAX_SEARCH = 1000;

export function auditRoutes(ctx: AdminContext): Router {
  const r = Router();
  const viewer = requireRole(ctx.auth, "viewer");
  r.get("/audit", viewer, (req, res) => searchAudit(ctx, req, res));
  r.get("/audit/export", viewer, async (req, res) => {
    const filter = auditFilter(req);
    res.setHeader("Content-Type", "application/x-ndjson");
    res.setHeader("Content-Disposition", 'attachment; filename="keybridge-audit.jsonl"');
    const result = await exportAudit(ctx.core.redis, filter, res);
    await recordAuditExport(ctx.core.audit, filter, auditActorOf(actorOf(res)), result.count);
    res.end();
  });
  r.get("/mappings/plan", viewer, (req, res) => planPreview(ctx, req, res));
  return r;
}

function date(value: unknown, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const parsed = typeof value === "string" ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(parsed.getTime())) throw invalidRequest(`${name} must be an ISO 8601 instant`);
  return parsed;
}

/** `?since&until&person&tenant` as export-audit's filter (the CLI's `audit export` options). */
function auditFilter(req: Request): AuditExportFilter {
  const filter: AuditExportFilter = {};
  const since = date(req.query.since, "since");
  const until = date(req.query.until, "until");
  if (since) filter.since = since;
  if (until) filter.until = until;
  if (typeof req.query.person === "string") filter.person = req.query.person;
  if (typeof req.query.tenant === "string") filter.tenant = req.query.tenant;
  return filter;
}

/** Records in chain order; `type` matches exactly, or by prefix when it ends in "." ("operator."). */
async function searchAudit(ctx: AdminContext, req: Request, res: Response): Promise<void> {
  const filter = auditFilter(req);
  const type = typeof req.query.type === "string" ? req.query.type : undefined;
  const limit = Math.min(Number(req.query.limit) || 200, MAX_SEARCH);
  const matchesType = (t: string) =>
    type === undefined || (type.endsWith(".") ? t.startsWith(type) : t === type);
  const records: AuditRecord[] = [];
  for await (const { record } of auditRecords(ctx.core.redis, filter)) {
    if (record && matchesType(record.type)) records.push(record);
    if (records.length >= limit) break;
  }
  res.json({ records, truncated: records.length >= limit });
}

/** The mapping files on disk (what a reload would load) against the mappings in force. */
async function planPreview(ctx: AdminContext, req: Request, res: Response): Promise<void> {
  const { core } = ctx;
  let candidate: ReturnType<typeof loadCheckedMappings>;
  try {
    candidate = loadCheckedMappings(core.mappings.dir);
  } catch (err) {
    if (!isMappingError(err)) throw err;
    res.status(422).json({
      error: "The mapping files on disk are invalid.",
      code: "BRIDGE_MAPPING_INVALID",
      problems: err.problems,
    });
    return;
  }
  const builder = createMappingPlan(core.mappings.current, candidate, core.clock.now());
  const source = directoryPersonSource(core.store, async () => {});
  for (const tenant of tenantsOf(ctx, req)) for await (const p of source.persons(tenant)) builder.add(p);
  res.json(builder.result());
}

// Reads the console's audit search form into an export filter plus a type filter; defaults to the
// last 24 hours, because the trail is read forward from `since` and an open window reads it all.
import type { Request } from "express";
import type { AuditExportFilter } from "../audit/export-audit";
import { parseOperatorTime } from "../operations/parse-operator-time";
import { resolvePerson } from "../operations/resolve-person";
import type { ConsoleDeps } from "./console-deps";
import { queryText } from "./page-context";

export interface AuditQuery {
  filter: AuditExportFilter;
  /** An exact type, or a prefix ending in "." (e.g. "operator."). */
  type: string;
  /** The form's values as entered, to fill it again. */
  form: Record<string, string>;
  problem?: string;
}

const DAY_MS = 86_400_000;

export function typeMatches(type: string, wanted: string): boolean {
  return !wanted || (wanted.endsWith(".") ? type.startsWith(wanted) : type === wanted);
}

export async function readAuditQuery(deps: ConsoleDeps, req: Request): Promise<AuditQuery> {
  const form: Record<string, string> = {};
  for (const name of ["tenant", "person", "type", "since", "until"]) form[name] = queryText(req, name);
  const since = parseOperatorTime(form.since!);
  const until = parseOperatorTime(form.until!);
  const query: AuditQuery = { filter: {}, type: form.type!, form };
  if (since === null || until === null)
    query.problem = "Times must be ISO 8601, e.g. 2026-12-07T08:00 (UTC).";
  query.filter.since = since ?? new Date(deps.clock.now().getTime() - DAY_MS);
  if (until) query.filter.until = until;
  if (form.tenant) query.filter.tenant = form.tenant;
  if (form.person) {
    // An operator may type a userName; the trail holds internal ids, so resolve it in the tenant.
    const id = form.tenant ? await resolvePerson(deps.store, form.tenant, form.person) : null;
    query.filter.person = id ?? form.person;
  }
  return query;
}

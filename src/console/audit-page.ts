// Audit search (by tenant, person, type and time) showing the latest matches, with export links:
// JSON Lines (byte for byte the stored records, so their hashes verify) and CSV for a spreadsheet.
import { once } from "node:events";
import type { Request, Response } from "express";
import { auditCsvRow, AUDIT_CSV_HEADER } from "../audit/audit-csv";
import type { AuditRecord } from "../audit/audit-record";
import { auditRecords } from "../audit/export-audit";
import { recordAuditExport } from "../operations/record-audit-export";
import { type AuditQuery, readAuditQuery, typeMatches } from "./audit-query";
import type { ConsoleDeps } from "./console-deps";
import { html, queryString, type SafeHtml } from "./html";
import { CONSOLE_BASE, formatTime, notice, renderPage } from "./layout";
import { auditActor, pageOptions } from "./page-context";

const SHOWN = 200;

function searchForm(q: AuditQuery): SafeHtml {
  const field = (name: string, label: string, hint: string) =>
    html`<div class="field"><label for="audit-${name}">${label}</label><input id="audit-${name}" name="${name}" value="${q.form[name]}" placeholder="${hint}"></div>`;
  return html`<form method="get" action="${CONSOLE_BASE}/audit" role="search" class="grid">
    ${field("tenant", "Tenant", "all")}${field("person", "Person (id, or userName with a tenant)", "any")}
    ${field("type", "Event type (exact, or a prefix ending in “.”)", "e.g. operator.")}
    ${field("since", "Since (UTC)", "last 24 hours")}${field("until", "Until (UTC)", "now")}
    <button type="submit">Search</button></form>`;
}

async function latestMatches(deps: ConsoleDeps, q: AuditQuery): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  for await (const { record } of auditRecords(deps.redis, q.filter)) {
    if (!record || !typeMatches(record.type, q.type)) continue;
    out.push(record);
    if (out.length > SHOWN) out.shift();
  }
  return out.reverse();
}

function resultsTable(records: AuditRecord[]): SafeHtml {
  if (records.length === 0) return html`<p role="status">No audit records match.</p>`;
  const rows = records.map(
    (r) => html`<tr data-type="${r.type}"><td>${r.seq}</td><td>${formatTime(r.time)}</td><td>${r.type}</td>
      <td>${r.tenant ?? ""}</td><td>${r.actor}</td><td>${r.subject.kind} ${r.subject.id}</td><td>${r.reason ?? ""}</td>
      <td>${r.outcome}</td><td><details><summary>data</summary><pre>${JSON.stringify(r.data ?? {}, null, 1)}</pre></details></td></tr>`,
  );
  return html`<table id="audit-results"><caption>Latest ${records.length} matching records, newest first</caption>
    <thead><tr><th scope="col">Seq</th><th scope="col">Time</th><th scope="col">Type</th><th scope="col">Tenant</th>
    <th scope="col">Actor</th><th scope="col">Subject</th><th scope="col">Reason</th><th scope="col">Outcome</th>
    <th scope="col">Data</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function auditPage(deps: ConsoleDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const q = await readAuditQuery(deps, req);
    const exportQuery = (format: string) =>
      `${CONSOLE_BASE}/audit/export${queryString({ ...q.form, format })}`;
    const body = html`${searchForm(q)}${q.problem ? notice("error", q.problem) : ""}
      <p>Export these records: <a href="${exportQuery("jsonl")}" download>JSON Lines</a> ·
      <a href="${exportQuery("csv")}" download>CSV</a></p>
      ${q.problem ? "" : resultsTable(await latestMatches(deps, q))}`;
    res.type("html").send(renderPage(pageOptions(res, "Audit", "audit"), body));
  };
}

/** Streams every matching record (not only the latest shown) and audits the export itself. */
export function auditExport(deps: ConsoleDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const q = await readAuditQuery(deps, req);
    const csv = req.query.format === "csv";
    res.type(csv ? "text/csv" : "application/x-ndjson");
    res.attachment(`keybridge-audit.${csv ? "csv" : "jsonl"}`);
    if (csv) res.write(AUDIT_CSV_HEADER);
    let count = 0;
    for await (const { text, record } of auditRecords(deps.redis, q.filter)) {
      if (!record || !typeMatches(record.type, q.type)) continue;
      if (!res.write(csv ? auditCsvRow(record) : `${text}\n`)) await once(res, "drain");
      count++;
    }
    res.end();
    await recordAuditExport(deps.audit, q.filter, auditActor(res), count);
  };
}

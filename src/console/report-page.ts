// The auditor's evidence report in the console: a tenant + window form, a summary of the figures and
// links to download the report as html, csv or json — the same report the CLI and the admin API build
// (src/operations/report-evidence.ts), and each one produced is audited as operator.evidence_reported.
import type { Request, Response } from "express";
import type { EvidenceReport } from "../report/evidence-report";
import { formatDuration } from "../report/format-duration";
import {
  coreEvidenceDeps,
  isEvidenceFormat,
  readEvidenceWindow,
  renderEvidence,
  reportEvidence,
} from "../operations/report-evidence";
import type { ConsoleDeps } from "./console-deps";
import { html, queryString, type SafeHtml } from "./html";
import { CONSOLE_BASE, formatTime, notice, renderPage } from "./layout";
import { auditActor, pageOptions, queryText } from "./page-context";

const QUARTER_MS = 92 * 86_400_000;

function readForm(deps: ConsoleDeps, req: Request): Record<string, string> {
  const now = deps.clock.now();
  const minute = (d: Date) => d.toISOString().slice(0, 16);
  return {
    tenant: queryText(req, "tenant") || (deps.config.tenants[0]?.id ?? ""),
    since: queryText(req, "since") || minute(new Date(now.getTime() - QUARTER_MS)),
    // Rounded up: a window ending at the start of this minute would leave out what just happened (a
    // window reaching past now ends at the report's time anyway).
    until: queryText(req, "until") || minute(new Date(now.getTime() + 60_000)),
  };
}

function windowForm(deps: ConsoleDeps, form: Record<string, string>): SafeHtml {
  const tenants = deps.config.tenants.map(
    (t) => html`<option value="${t.id}"${t.id === form.tenant ? html` selected` : ""}>${t.id}</option>`,
  );
  const time = (name: string, label: string) =>
    html`<div class="field"><label for="report-${name}">${label}</label><input id="report-${name}" name="${name}" value="${form[name]}" required></div>`;
  return html`<form method="get" action="${CONSOLE_BASE}/report" class="grid">
    <div class="field"><label for="report-tenant">Tenant</label><select id="report-tenant" name="tenant">${tenants}</select></div>
    ${time("since", "Since (UTC, ISO 8601)")}${time("until", "Until (UTC, ISO 8601)")}
    <button type="submit" name="run" value="1">Build report</button></form>`;
}

const ms = (value: number | undefined) => (value === undefined ? "—" : formatDuration(value));

function summary(report: EvidenceReport): SafeHtml {
  const f = report.figures;
  const t = f.terminations;
  const live = report.chain.live;
  const fact = (label: string, value: string | number) => html`<dt>${label}</dt><dd>${value}</dd>`;
  return html`<section aria-labelledby="report-figures"><h2 id="report-figures">Figures</h2>
    <dl class="facts" id="evidence-figures">
    ${fact("Window", `${formatTime(report.window.since)} – ${formatTime(report.window.until)}`)}
    ${fact("Grants", `${f.grants.total} (${f.grants.effective} effective, ${f.grants.pending} pending, ${f.grants.failed} failed)`)}
    ${fact("Revocations", `${f.revocations.total} (${f.revocations.effective} effective, ${f.revocations.pending} pending, ${f.revocations.failed} failed)`)}
    ${fact("Longest revocation requested → effective", ms(f.revocations.maxToEffectiveMs))}
    ${fact("Terminations", `${t.total} (${t.withAccess} holding access, ${t.open} open)`)}
    ${fact("Removed within 24 hours", t.within24hPercent === undefined ? "n/a (none decided)" : `${t.within24h} of ${t.decided} (${t.within24hPercent}%)`)}
    ${fact("Longest termination clock", ms(t.maxClockMs))}
    ${fact("Current register", report.register ? `${report.register.rows.length} rows` : "—")}
    ${fact("Audit chain", live ? `${live.ok ? "verified" : "BROKEN"}; anchor ${live.head.seq}:${live.head.hash}` : "not checked")}
    </dl></section>`;
}

function downloads(form: Record<string, string>): SafeHtml {
  const link = (format: string, label: string) =>
    html`<a href="${CONSOLE_BASE}/report/download${queryString({ ...form, format })}" download>${label}</a>`;
  return html`<p id="evidence-downloads">Download the full report: ${link("html", "HTML (prints cleanly)")} ·
    ${link("csv", "CSV")} · ${link("json", "JSON")}</p>`;
}

async function produce(deps: ConsoleDeps, form: Record<string, string>, res: Response) {
  const window = readEvidenceWindow(
    { tenant: form.tenant!, since: form.since!, until: form.until! },
    deps.config.tenants.map((t) => t.id),
  );
  if (typeof window === "string") return window;
  return reportEvidence(coreEvidenceDeps(deps), window, auditActor(res));
}

export function reportPage(deps: ConsoleDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const form = readForm(deps, req);
    // Building a report reads the whole window and is audited: only when asked, not on every visit.
    const result = queryText(req, "run") ? await produce(deps, form, res) : undefined;
    const outcome =
      result === undefined
        ? html``
        : typeof result === "string"
          ? notice("error", result)
          : html`${summary(result)}${downloads(form)}`;
    const body = html`${windowForm(deps, form)}${outcome}`;
    res.type("html").send(renderPage(pageOptions(res, "Evidence report", "report"), body));
  };
}

export function reportDownload(deps: ConsoleDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const form = readForm(deps, req);
    const format = queryText(req, "format");
    const result = isEvidenceFormat(format) ? await produce(deps, form, res) : "Unknown format.";
    if (typeof result === "string" || !isEvidenceFormat(format)) {
      res
        .status(400)
        .type("html")
        .send(renderPage(pageOptions(res, "Evidence report"), notice("error", String(result))));
      return;
    }
    const document = renderEvidence(result, format);
    res.type(document.mediaType).attachment(`keybridge-evidence-${form.tenant}.${format}`);
    res.send(document.text);
  };
}

// The evidence report as one self-contained HTML page (pure): inline CSS, no scripts, no external
// resources, so it opens and prints anywhere (an auditor needs no keybridge to read it).
import {
  boundsSection,
  chainSection,
  changesSection,
  figuresSection,
  frameworksSection,
  registerSection,
  terminationsSection,
} from "./evidence-html-sections";
import type { EvidenceReport } from "./evidence-report";
import { escapeHtml as e } from "./html-escape";

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111;margin:2rem auto;max-width:72rem;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;border-bottom:2px solid #333;padding-bottom:.2rem;margin-top:2rem}
h3{font-size:1rem;margin:1rem 0 .2rem}.meta{color:#444}.asks{font-style:italic;margin:.2rem 0}
table{border-collapse:collapse;width:100%;font-size:12px}caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid #bbb;padding:.25rem .4rem;vertical-align:top;text-align:left}th{background:#eee}
small{color:#555}code{font-size:11px;word-break:break-all}.empty{color:#555}
dl.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:.6rem}
dl.figures div{border:1px solid #bbb;padding:.5rem}dt{font-size:12px;color:#444}dd{margin:0;font-size:1.3rem;font-weight:600}
@media print{body{margin:0;max-width:none;font-size:11px}h2{break-after:avoid}tr,article,dl.figures div{break-inside:avoid}
thead{display:table-header-group}a{color:inherit;text-decoration:none}@page{size:A4 landscape;margin:12mm}}
`;

function header(r: EvidenceReport): string {
  const source =
    r.auditSource === "live"
      ? "the live audit trail"
      : `the audit export ${r.auditSource.replace(/^export:/, "")}`;
  return `<header><h1>Access evidence report</h1>
<p class="meta">Tenant <strong>${e(r.tenant)}</strong> · window ${e(r.window.since)} (inclusive) to ${e(r.window.until)} (exclusive) · generated ${e(r.generatedAt)} by keybridge from ${e(source)}.</p></header>`;
}

function reproduce(r: EvidenceReport): string {
  const args = `--tenant ${r.tenant} --since ${r.window.since} --until ${r.window.until}`;
  return `<section id="reproduce"><h2>How to reproduce</h2><p>Every figure above except the register comes from the audit records alone:</p>
<pre>keybridge audit export ${e(args)} --out evidence.jsonl
keybridge report evidence ${e(args)} --from-export evidence.jsonl</pre>
<p>Each line of the export carries its own SHA-256 hash (docs/audit.md explains how to check it without keybridge).</p></section>`;
}

export function renderEvidenceHtml(report: EvidenceReport): string {
  const body = [
    header(report),
    figuresSection(report),
    frameworksSection(report),
    terminationsSection(report),
    changesSection(report),
    registerSection(report),
    boundsSection(report),
    chainSection(report),
    reproduce(report),
  ].join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Access evidence report · ${e(report.tenant)} · ${e(report.window.since)} to ${e(report.window.until)}</title>
<style>${STYLE}</style></head>
<body>
${body}
</body></html>
`;
}

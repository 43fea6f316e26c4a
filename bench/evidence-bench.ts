// Measures the evidence report's pure build and its renderers on a synthetic quarter: N leavers, each
// granted, disabled and revoked through pending to effective (7 audit records each). Prints figures;
// run `npx tsx bench/evidence-bench.ts [persons]`.
import { type AuditRecord, GENESIS_HASH, sealRecord } from "../src/audit/audit-record";
import { buildEvidenceReport } from "../src/report/evidence-report";
import { renderEvidenceCsv } from "../src/report/render-evidence-csv";
import { renderEvidenceHtml } from "../src/report/render-evidence-html";
import { renderEvidenceJson } from "../src/report/render-evidence-json";

const persons = Number(process.argv[2] ?? 10_000);
const T0 = Date.parse("2026-01-01T00:00:00Z");
const records: AuditRecord[] = [];

function add(type: string, person: string, ms: number, data: Record<string, unknown>): void {
  const prev = records.at(-1);
  records.push(
    sealRecord({
      v: 1,
      seq: records.length + 1,
      time: new Date(T0 + ms).toISOString(),
      type,
      tenant: "acme",
      actor: "worker",
      subject: { kind: "person", id: person },
      outcome: "success",
      data: data as AuditRecord["data"],
      prevHash: prev?.hash ?? GENESIS_HASH,
    }),
  );
}

for (let i = 0; i < persons; i++) {
  const p = `person-${i}`;
  const base = i * 600_000;
  const effect = {
    system: "cliq",
    profile: "substation",
    rules: ["field-technicians"],
    userName: `${p}@example.org`,
  };
  add("scim.user.created", p, base, { at: new Date(T0 + base).toISOString(), userName: `${p}@example.org` });
  add("grant.requested", p, base + 1, { ...effect, action: "grant", to: "requested" });
  add("grant.effective", p, base + 2, { ...effect, action: "grant", to: "effective" });
  add("scim.user.deactivated", p, base + 100_000, { at: new Date(T0 + base + 100_000).toISOString() });
  add("revocation.requested", p, base + 100_001, { ...effect, action: "revoke", to: "requested" });
  add("revocation.pending", p, base + 100_002, { ...effect, action: "revoke", to: "pending_programming" });
  add("revocation.effective", p, base + 400_000, { ...effect, action: "revoke", to: "effective" });
}

function time<T>(label: string, run: () => T): T {
  const start = process.hrtime.bigint();
  const out = run();
  console.log(`${label.padEnd(28)} ${(Number(process.hrtime.bigint() - start) / 1e6).toFixed(0)} ms`);
  return out;
}

console.log(`${persons} leavers, ${records.length} audit records`);
const report = time("buildEvidenceReport", () =>
  buildEvidenceReport({
    records,
    tenant: "acme",
    window: { since: new Date(T0).toISOString(), until: new Date(T0 + persons * 600_000 + 1).toISOString() },
    generatedAt: new Date().toISOString(),
    auditSource: "export:bench.jsonl",
    offlineBounds: [],
  }),
);
const html = time("renderEvidenceHtml", () => renderEvidenceHtml(report));
const csv = time("renderEvidenceCsv", () => renderEvidenceCsv(report));
const json = time("renderEvidenceJson", () => renderEvidenceJson(report));
console.log(
  `sizes: html ${(html.length / 1e6).toFixed(1)} MB, csv ${(csv.length / 1e6).toFixed(1)} MB, json ${(json.length / 1e6).toFixed(1)} MB`,
);
console.log(
  `within 24h: ${report.figures.terminations.within24hPercent}%; heap used ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`,
);

// The evidence report as JSON (pure): the report object as it is, two-space indented, so other tools
// and a later `--from-export` run can compare figures field by field.
import type { EvidenceReport } from "./evidence-report";

export function renderEvidenceJson(report: EvidenceReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

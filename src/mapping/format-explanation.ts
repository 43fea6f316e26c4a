// Renders a PersonExplanation as the text `keybridge access explain` prints.
import type { ConditionEvidence } from "./explain-condition";
import type { PersonExplanation } from "./explain-person";

function seen(e: ConditionEvidence): string {
  return e.seen.length === 0 ? "(no value)" : e.seen.map((v) => JSON.stringify(v)).join(", ");
}

function window(g: { notBefore?: string; notAfter?: string }): string {
  if (!g.notBefore && !g.notAfter) return "open-ended";
  return `${g.notBefore ?? "now"} → ${g.notAfter ?? "open-ended"}`;
}

export function formatExplanation(x: PersonExplanation): string {
  const out: string[] = [];
  out.push(`${x.userName} (id ${x.personId}, tenant ${x.tenant})${x.active ? "" : " — INACTIVE: no access"}`);
  out.push(`evaluated at ${x.evaluatedAt} with mappings ${x.mappingsFingerprint.slice(0, 12)}`);
  out.push("");
  out.push(x.grants.length === 0 ? "desired access: none" : `desired access: ${x.grants.length} grant(s)`);
  for (const g of x.grants) {
    const flags = [g.critical ? "critical" : "", g.schedule ? `schedule ${g.schedule.timeZone}` : ""].filter(
      Boolean,
    );
    out.push(`  ${g.system} / ${g.profile}  [${window(g)}]${flags.length ? `  (${flags.join(", ")})` : ""}`);
    out.push(`    vendor refs: ${g.vendorRefs.join(", ")}`);
    for (const r of g.reasons) {
      out.push(`    because rule ${r.rule} (${r.source})`);
      for (const e of r.evidence) out.push(`      ✓ ${e.condition}   seen: ${seen(e)}`);
    }
  }
  if (x.withheld.length > 0) {
    out.push("", "matched but withheld:");
    for (const w of x.withheld) out.push(`  ${w.system} / ${w.profile} by rule ${w.rule}: ${w.reason}`);
  }
  if (x.nearMisses.length > 0) {
    out.push("", "nearly matched (one condition failed):");
    for (const m of x.nearMisses) {
      out.push(`  rule ${m.rule} (${m.source})`);
      for (const e of m.failed) out.push(`      ✗ ${e.condition}   seen: ${seen(e)}`);
    }
  }
  return `${out.join("\n")}\n`;
}

// Renders a MappingPlan as the text `keybridge mappings plan` prints: totals per profile, then up to
// `limit` lines of who gains, loses or has a changed grant.
import type { MappingPlan, ProfileChange } from "./plan-mapping-change";

function line(sign: string, c: ProfileChange): string {
  const fields = c.fields ? ` (${c.fields.join(", ")})` : "";
  return `  ${sign} ${c.tenant}/${c.userName} ${c.system}/${c.profile}${fields}`;
}

export function formatPlan(plan: MappingPlan, limit: number): string {
  const out: string[] = [];
  const same = plan.currentFingerprint === plan.candidateFingerprint;
  out.push(
    `mappings ${plan.currentFingerprint.slice(0, 12)} → ${plan.candidateFingerprint.slice(0, 12)}${same ? " (identical)" : ""}`,
  );
  out.push(
    `${plan.persons} person(s) evaluated, ${plan.personsChanged} affected: ` +
      `${plan.gains.length} gain(s), ${plan.losses.length} loss(es), ${plan.modified.length} changed grant(s)`,
  );
  if (plan.byProfile.length > 0) {
    out.push("", `  ${"per profile".padEnd(40)} ${"gains".padEnd(8)} ${"losses".padEnd(8)} changed`);
    for (const t of plan.byProfile)
      out.push(
        `  ${`${t.system}/${t.profile}`.padEnd(40)} +${String(t.gains).padEnd(7)} -${String(t.losses).padEnd(7)} ~${t.modified}`,
      );
  }
  const sections: Array<[string, string, ProfileChange[]]> = [
    ["gains", "+", plan.gains],
    ["losses", "-", plan.losses],
    ["changed grants", "~", plan.modified],
  ];
  for (const [title, sign, list] of sections) {
    if (list.length === 0) continue;
    out.push("", `${title}:`);
    for (const c of list.slice(0, limit)) out.push(line(sign, c));
    if (list.length > limit) out.push(`  … ${list.length - limit} more (use --json or --limit)`);
  }
  return `${out.join("\n")}\n`;
}

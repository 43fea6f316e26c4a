// Plain-text renderings of `keybridge signals report` and `keybridge signals status` for operators.
import type { ChannelState } from "../signals/channel-state";
import type { ReportedPerson, SignalsReport } from "../signals/signals-report";

function person(p: ReportedPerson): string {
  return `  ${p.personId}${p.userName ? ` (${p.userName})` : ""}: ${p.kind} by ${p.channel}, event ${p.eventId}, arrived at ${p.arrivedAt}`;
}

export function formatSignalsReport(r: SignalsReport): string {
  const lines = [`signals report for tenant ${r.tenant}`, ""];
  lines.push(`suspended by signal while SCIM still says active: ${r.suspendedButScimActive.length}`);
  for (const p of r.suspendedButScimActive) lines.push(person(p));
  lines.push("", `disabled or deleted by signal and still holding keys: ${r.revokedButHoldingKeys.length}`);
  for (const p of r.revokedButHoldingKeys) {
    lines.push(person(p));
    for (const h of p.holding) lines.push(`    ${h.system}/${h.profile}: ${h.state}`);
  }
  const s = r.scimSilence;
  const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;
  lines.push(
    "",
    s.lastScimChangeAt === null
      ? "SCIM silence: no SCIM change ever recorded for this tenant"
      : `SCIM silence: last change ${s.lastScimChangeAt}, ${minutes(s.silentForMs ?? 0)} ago${s.silent ? ` — LONGER THAN ${minutes(s.thresholdMs)} (two Entra cycles)` : ""}`,
  );
  lines.push("", `unmatched signals: ${r.unmatched.count}`);
  for (const u of r.unmatched.recent) lines.push(`  ${u.at} ${u.channel} event ${u.eventId}`);
  return `${lines.join("\n")}\n`;
}

export function formatChannelStates(tenant: string, states: ChannelState[]): string {
  const lines = [`signal channels of tenant ${tenant}`];
  for (const s of states) {
    const counts = Object.entries(s.counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
    lines.push(
      "",
      `${s.channel}: last signal ${s.lastSignalAt ?? "never"}${s.lastEventId ? ` (event ${s.lastEventId})` : ""}`,
      `  last ok ${s.lastOkAt ?? "-"}, lag ${s.lagMs === undefined ? "-" : `${s.lagMs} ms`}`,
      `  counts: ${counts || "none"}`,
    );
    if (s.lastError) lines.push(`  last error at ${s.lastErrorAt}: ${s.lastError}`);
  }
  return `${lines.join("\n")}\n`;
}

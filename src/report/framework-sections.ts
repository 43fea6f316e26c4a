// One short section per framework requirement, mapping what it asks to the figures of the report
// (pure). States evidence, never compliance: whether the evidence suffices is the auditor's call.
import type { EvidenceReport } from "./evidence-report";
import { formatDuration } from "./format-duration";

export interface FrameworkSection {
  framework: string;
  requirement: string;
  /** What the requirement asks, in one sentence (paraphrased). */
  asks: string;
  /** Facts from this report that bear on it. */
  evidence: string[];
}

type Report = Omit<EvidenceReport, "frameworks">;

function terminationEvidence(r: Report): string[] {
  const t = r.figures.terminations;
  const lines = [
    `${t.total} termination(s) in the window (SCIM deactivation or deletion, HR end date, IdP signal); ${t.withAccess} concerned a person holding access.`,
    t.within24hPercent === undefined
      ? "No termination with access to remove was decided in the window."
      : `${t.within24h} of ${t.decided} decided termination(s) had every revocation effective within 24 hours of the termination action (${t.within24hPercent}%).`,
  ];
  if (t.maxClockMs !== undefined) lines.push(`Longest termination clock: ${formatDuration(t.maxClockMs)}.`);
  if (t.open > 0) lines.push(`${t.open} termination(s) still had a revocation not effective after 24 hours.`);
  if (t.notYetDue > 0)
    lines.push(`${t.notYetDue} termination(s) were less than 24 hours old at the end of the window.`);
  if (t.worstExposureUntil)
    lines.push(`Latest exposureUntil reported for an offline key: ${t.worstExposureUntil}.`);
  const bounded = r.offlineBounds.filter((b) => b.seconds !== null && b.seconds > 0);
  for (const b of bounded)
    lines.push(`Offline bound ${b.system} (${b.setting}): ${formatDuration(b.seconds! * 1000)}.`);
  return lines;
}

function registerEvidence(r: Report): string[] {
  if (!r.register) return ["The register of current access was not read (report built from an export)."];
  const rows = r.register.rows;
  const grants = rows.filter((row) => row.action === "grant");
  const unjustified = grants.filter((row) => row.rules.length === 0).length;
  return [
    `Register read from ${r.register.source} at ${r.register.asOf}: ${grants.length} grant(s) held or on their way, ${rows.length - grants.length} revocation(s) not yet effective.`,
    `${grants.length - unjustified} of ${grants.length} grant(s) name the mapping rule that authorises them; ${unjustified} name none.`,
  ];
}

function changeEvidence(r: Report): string[] {
  const f = r.figures;
  return [
    `${f.grants.total} grant(s) in the window (${f.grants.effective} effective, ${f.grants.pending} pending, ${f.grants.failed} failed or awaiting an operator), each with the rule that justified it.`,
    `${f.revocations.total} revocation(s) (${f.revocations.effective} effective); ${f.revocations.total - f.revocationsOnChangeOfRole} on termination, ${f.revocationsOnChangeOfRole} on a change of role or group.`,
  ];
}

function chainEvidence(r: Report): string[] {
  const w = r.chain.window;
  const lines = [
    `${w.records} audit record(s) underlie this report; ${w.badHashes.length} fail their hash, ${w.brokenLinks.length} break a link.`,
  ];
  if (w.lastSeq !== undefined) lines.push(`Anchor of the window: ${w.lastSeq}:${w.lastHash}.`);
  if (r.chain.live)
    lines.push(
      r.chain.live.ok
        ? `Whole audit chain verified: ${r.chain.live.count} records, head ${r.chain.live.head.seq}:${r.chain.live.head.hash}.`
        : `Whole audit chain verification FAILED at seq ${r.chain.live.firstBad?.seq} (${r.chain.live.firstBad?.problem}).`,
    );
  return lines;
}

export function frameworkSections(r: Report): FrameworkSection[] {
  return [
    {
      framework: "NERC CIP-004-7",
      requirement: "R5.1",
      asks: "Remove an individual's unescorted physical access within 24 hours of a termination action.",
      evidence: terminationEvidence(r),
    },
    {
      framework: "NERC CIP-004-7",
      requirement: "R4.2",
      asks: "Verify at least once each calendar quarter that everyone with access has an authorization record.",
      evidence: [...registerEvidence(r), ...chainEvidence(r).slice(0, 1)],
    },
    {
      framework: "NIS2 implementing regulation (EU) 2024/2690",
      requirement: "Annex 11.2",
      asks: "Keep a register of access rights, change rights on termination or change of employment, and document reviews.",
      evidence: [...registerEvidence(r), ...changeEvidence(r), ...chainEvidence(r)],
    },
    {
      framework: "ISO/IEC 27001:2022",
      requirement: "Annex A 5.18, 7.2",
      asks: "Provision, review, modify and remove access rights by policy (5.18); protect secure areas by entry controls (7.2).",
      evidence: [...changeEvidence(r), ...terminationEvidence(r).slice(0, 2), ...chainEvidence(r)],
    },
  ];
}

// The figures of the evidence report (pure): counts of grants and revocations, and the share of
// terminations whose access was removed within 24 hours, all computed from collected facts.
import type { AccessChange } from "./evidence-facts";
import type { TerminationClock } from "./termination-clocks";

export interface ChangeCounts {
  total: number;
  effective: number;
  pending: number;
  failed: number;
  /** Longest requested → effective among the effective ones (ms). */
  maxToEffectiveMs?: number;
}

export interface EvidenceFigures {
  grants: ChangeCounts;
  revocations: ChangeCounts;
  /** Revocations no termination caused: a change of role or group (NIS2 11.2 "change of employment"). */
  revocationsOnChangeOfRole: number;
  terminations: {
    total: number;
    /** Terminations of persons who held access the bridge had to revoke. */
    withAccess: number;
    /** Decided: all revocations effective, or 24 hours passed without. */
    decided: number;
    within24h: number;
    /** within24h / decided, in percent with one decimal; absent when nothing was decided. */
    within24hPercent?: number;
    notYetDue: number;
    open: number;
    maxClockMs?: number;
    worstExposureUntil?: string;
  };
}

function countChanges(changes: AccessChange[]): ChangeCounts {
  const durations = changes
    .filter((c) => c.effectiveAt)
    .map((c) => Date.parse(c.effectiveAt!) - Date.parse(c.requestedAt));
  const out: ChangeCounts = {
    total: changes.length,
    effective: changes.filter((c) => c.state === "effective").length,
    pending: changes.filter((c) =>
      ["requested", "pending", "pending_programming", "pending_propagation", "scheduled"].includes(c.state),
    ).length,
    failed: changes.filter((c) => c.state === "failed" || c.state === "manual_action").length,
  };
  if (durations.length > 0) out.maxToEffectiveMs = durations.reduce((a, b) => Math.max(a, b), 0);
  return out;
}

export function computeEvidenceFigures(changes: AccessChange[], clocks: TerminationClock[]): EvidenceFigures {
  const withAccess = clocks.filter((c) => c.outcome !== "no_access");
  const decided = withAccess.filter((c) => c.within24h !== undefined);
  const within = decided.filter((c) => c.within24h).length;
  const caused = new Set(clocks.flatMap((c) => c.revocations));
  const revocations = changes.filter((c) => c.action === "revoke");
  const exposures = clocks.flatMap((c) => (c.worstExposureUntil ? [c.worstExposureUntil] : [])).sort();
  const terminations: EvidenceFigures["terminations"] = {
    total: clocks.length,
    withAccess: withAccess.length,
    decided: decided.length,
    within24h: within,
    notYetDue: withAccess.filter((c) => c.outcome === "not_yet_due").length,
    open: withAccess.filter((c) => c.outcome === "open").length,
  };
  if (decided.length > 0) terminations.within24hPercent = Math.round((within / decided.length) * 1000) / 10;
  const clocked = decided.map((c) => c.clockMs!);
  if (clocked.length > 0) terminations.maxClockMs = clocked.reduce((a, b) => Math.max(a, b), 0);
  if (exposures.length > 0) terminations.worstExposureUntil = exposures.at(-1);
  return {
    grants: countChanges(changes.filter((c) => c.action === "grant")),
    revocations: countChanges(revocations),
    revocationsOnChangeOfRole: revocations.filter((r) => !caused.has(r)).length,
    terminations,
  };
}

// The evidence report's pure core on hand-built trails: each case states the auditor's question it
// answers (which clock, which share, which revocation belongs to which termination).
import { buildEvidenceReport, type EvidenceReport } from "../../src/report/evidence-report";
import { offlineBounds } from "../../src/report/offline-bounds";
import { renderEvidenceCsv } from "../../src/report/render-evidence-csv";
import { renderEvidenceHtml } from "../../src/report/render-evidence-html";
import { parseCsv } from "./parse-csv";
import { at, H, TrailBuilder } from "./record-builder";

function report(trail: TrailBuilder, untilMs = 100 * H): EvidenceReport {
  return buildEvidenceReport({
    records: trail.records,
    tenant: "acme",
    window: { since: at(-H), until: at(untilMs) },
    generatedAt: at(untilMs),
    auditSource: "export:test.jsonl",
    offlineBounds: [],
  });
}

/** A person who held the substation profile, revoked `revokeMs` after the start, effective at `effectiveMs`. */
function leaver(trail: TrailBuilder, p: string, startMs: number, revokeMs: number, effectiveMs?: number) {
  trail.scim("created", p, 0).effect("grant", "requested", p, 1).effect("grant", "effective", p, 2);
  trail.scim("deactivated", p, startMs).effect("revoke", "requested", p, revokeMs);
  trail.effect("revoke", "pending_programming", p, revokeMs + 1, { exposureUntil: at(revokeMs + 30 * H) });
  if (effectiveMs !== undefined)
    trail.effect("revoke", "effective", p, effectiveMs, { effectiveAt: at(effectiveMs) });
}

describe("termination clocks (NERC CIP-004-7 R5.1)", () => {
  it("runs from the termination action to the last revocation effective, and shares within 24 h", () => {
    const trail = new TrailBuilder();
    leaver(trail, "fast", 10 * H, 10 * H + 5, 12 * H);
    leaver(trail, "slow", 10 * H, 10 * H + 5, 40 * H);
    const r = report(trail);
    expect(r.terminations.map((t) => [t.identity.userName, t.clockMs, t.within24h])).toEqual([
      ["fast@example.org", 2 * H, true],
      ["slow@example.org", 30 * H, false],
    ]);
    expect(r.figures.terminations).toMatchObject({
      decided: 2,
      within24h: 1,
      within24hPercent: 50,
      maxClockMs: 30 * H,
    });
    expect(r.terminations[0]!.worstExposureUntil).toBe(at(10 * H + 5 + 30 * H));
  });

  it("counts a revocation still pending after 24 h as open (not within), one younger as not yet due", () => {
    const trail = new TrailBuilder();
    leaver(trail, "stuck", 10 * H, 10 * H + 5);
    leaver(trail, "recent", 90 * H, 90 * H + 5);
    const r = report(trail);
    expect(r.terminations.map((t) => t.outcome)).toEqual(["open", "not_yet_due"]);
    expect(r.figures.terminations).toMatchObject({
      decided: 1,
      within24h: 0,
      within24hPercent: 0,
      open: 1,
      notYetDue: 1,
    });
  });

  it("starts the clock at the first action: an IdP signal before the SCIM disable, a delete after joins it", () => {
    const trail = new TrailBuilder();
    trail.scim("created", "p", 0).effect("grant", "effective", "p", 1);
    // Evidence only (sessions revoked) and a duplicate start no clock; the applied disable does, at the
    // IdP's own time.
    trail.add("signal.received", "p", 4 * H, {
      channel: "okta-hook",
      eventId: "evt-0",
      kind: "sessions_revoked",
    });
    trail.add("signal.applied", "p", 5 * H + 60_000, {
      channel: "entra",
      eventId: "evt-1",
      kind: "disabled",
      occurredAt: at(5 * H),
    });
    trail.add("signal.duplicate", "p", 5 * H + 90_000, {
      channel: "entra",
      eventId: "evt-1",
      kind: "disabled",
    });
    trail.scim("deactivated", "p", 6 * H).effect("revoke", "requested", "p", 6 * H + 1);
    trail.scim("deleted", "p", 7 * H).effect("revoke", "effective", "p", 8 * H);
    const [t] = report(trail).terminations;
    expect(report(trail).terminations).toHaveLength(1);
    expect(t).toMatchObject({
      kinds: ["idp_signal", "scim_deactivated", "scim_deleted"],
      signals: ["entra:evt-1"],
      clockMs: 3 * H,
    });
  });

  it("takes an HR end date inside the window as the termination time; a cancelled one is none", () => {
    const trail = new TrailBuilder();
    trail.scim("created", "p", 0).effect("grant", "effective", "p", 1);
    trail.add("revocation.scheduled", "p", 2, { system: "cliq", at: at(20 * H), previous: null });
    trail.effect("revoke", "requested", "p", 20 * H).effect("revoke", "effective", "p", 21 * H);
    trail.scim("created", "q", 3).add("revocation.scheduled", "q", 4, { system: "cliq", at: at(30 * H) });
    trail.add("revocation.cancelled", "q", 5, { system: "cliq", at: null, previous: at(30 * H) });
    const r = report(trail);
    expect(r.terminations.map((t) => [t.identity.personId, t.kinds, t.clockMs])).toEqual([
      ["p", ["end_date"], H],
    ]);
  });

  it("counts a termination of a person without access apart, and a revocation without one as a change of role", () => {
    const trail = new TrailBuilder();
    trail.scim("created", "nokey", 0).scim("deactivated", "nokey", H);
    trail.scim("created", "mover", 0).effect("grant", "effective", "mover", 1);
    trail.effect("revoke", "requested", "mover", 2 * H).effect("revoke", "effective", "mover", 3 * H);
    const r = report(trail);
    expect(r.terminations[0]!.outcome).toBe("no_access");
    expect(r.figures.terminations).toMatchObject({ total: 1, withAccess: 0, decided: 0 });
    expect(r.figures.terminations.within24hPercent).toBeUndefined();
    expect(r.figures.revocationsOnChangeOfRole).toBe(1);
  });

  it("ends an end-date termination when the person is granted access again", () => {
    const trail = new TrailBuilder();
    trail.scim("created", "p", 0).effect("grant", "effective", "p", 1);
    trail.add("revocation.scheduled", "p", 2, { system: "cliq", at: at(10 * H) });
    trail.effect("revoke", "requested", "p", 10 * H).effect("revoke", "effective", "p", 11 * H);
    trail
      .effect("grant", "requested", "p", 50 * H, { profile: "hq" })
      .effect("grant", "effective", "p", 50 * H + 1, { profile: "hq" });
    trail
      .effect("revoke", "requested", "p", 80 * H, { profile: "hq" })
      .effect("revoke", "effective", "p", 81 * H, { profile: "hq" });
    const r = report(trail);
    expect(r.terminations.map((t) => [t.clockMs, t.revocations.length])).toEqual([[H, 1]]);
    expect(r.figures.revocationsOnChangeOfRole).toBe(1);
  });

  it("starts a new clock after the person was activated again", () => {
    const trail = new TrailBuilder();
    leaver(trail, "p", 10 * H, 10 * H + 5, 11 * H);
    trail
      .scim("activated", "p", 20 * H)
      .effect("grant", "requested", "p", 20 * H + 1)
      .effect("grant", "effective", "p", 20 * H + 2);
    trail
      .scim("deactivated", "p", 30 * H)
      .effect("revoke", "requested", "p", 30 * H + 1)
      .effect("revoke", "effective", "p", 31 * H);
    expect(report(trail).terminations.map((t) => [t.startedAt, t.clockMs, t.revocations.length])).toEqual([
      [at(10 * H), H, 1],
      [at(30 * H), H, 1],
    ]);
  });
});

describe("the report as an auditor receives it", () => {
  it("checks each record's hash and names the tampered one", () => {
    const trail = new TrailBuilder();
    leaver(trail, "p", 10 * H, 10 * H + 5, 11 * H);
    trail.records[2] = { ...trail.records[2]!, data: { ...trail.records[2]!.data, rules: ["forged"] } };
    expect(report(trail).chain.window).toMatchObject({ badHashes: [3], brokenLinks: [] });
  });

  it("escapes IdP-supplied names in HTML and defuses spreadsheet formulas in CSV", () => {
    const trail = new TrailBuilder();
    trail.add("scim.user.created", "p", 0, { at: at(0), userName: '=HYPERLINK("x")<script>' });
    trail.effect("grant", "effective", "p", 1);
    const r = report(trail);
    const html = renderEvidenceHtml(r);
    expect(html).not.toContain("<script>");
    expect(html).toContain("=HYPERLINK(&quot;x&quot;)&lt;script&gt;");
    const rows = parseCsv(renderEvidenceCsv(r));
    expect(rows.find((row) => row[0] === "change")?.[1]).toBe(`'=HYPERLINK("x")<script>`);
  });

  it("bounds offline keys by the configured CLIQ revalidation and iLOQ intervals, and says when nothing does", () => {
    const bounds = offlineBounds(
      [
        { id: "subst", driver: "cliq" },
        { id: "hq", driver: "iloq" },
        { id: "old", driver: "cliq" },
      ],
      (id) =>
        id === "subst" ? { revalidationDays: 7 } : id === "hq" ? { offlineExpirationSeconds: 86_400 } : {},
    );
    expect(bounds.map((b) => [b.system, b.setting, b.seconds])).toEqual([
      ["subst", "revalidationDays", 7 * 86_400],
      ["hq", "offlineExpirationSeconds", 86_400],
      ["hq", "blocklistPropagationHours", 72 * 3_600],
      ["old", "revalidationDays", null],
    ]);
  });
});

// The evidence report for the demo flow (Entra over SCIM → simulated key system → disable → revocation
// effective), produced by `keybridge report evidence` as a user runs it: its figures match the audit
// trail, the CSV parses, the export-only report equals the live one, and the HTML opens in Chromium.
import { readFileSync } from "node:fs";
import { readAuditRecords } from "../../src/audit/export-audit";
import type { AuditRecord } from "../../src/audit/audit-record";
import type { EvidenceReport } from "../../src/report/evidence-report";
import { EVIDENCE_CSV_HEADER } from "../../src/report/render-evidence-csv";
import type { E2eKeybridge } from "../e2e/e2e-processes";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { openInChromium } from "./open-in-chromium";
import { parseCsv } from "./parse-csv";
import {
  type FlowResult,
  runCli,
  runEvidenceFlow,
  startEvidenceKeybridge,
  TENANT,
  tempFile,
} from "./evidence-flow";

let redis: TestRedis;
let kb: E2eKeybridge;
let flow: FlowResult;
let trail: AuditRecord[];
let live: EvidenceReport;

const window = () => [
  "--tenant",
  TENANT,
  "--since",
  flow.since.toISOString(),
  "--until",
  flow.until.toISOString(),
];

beforeAll(async () => {
  redis = await startTestRedis();
  kb = await startEvidenceKeybridge(redis.url);
  flow = await runEvidenceFlow(kb);
  trail = await readAuditRecords(
    kb.core.redis,
    { tenant: TENANT, since: flow.since, until: flow.until },
    10_000,
  );
  const out = tempFile("live.json");
  const run = await runCli("report", kb.config, ["evidence", ...window(), "--format", "json", "--out", out]);
  expect(run).toMatchObject({ code: 0 });
  live = JSON.parse(readFileSync(out, "utf8")) as EvidenceReport;
}, 60_000);

afterAll(async () => {
  await kb?.close();
  await redis?.stop();
});

const ofType = (type: string, action?: string) =>
  trail.filter((r) => r.type === type && (action === undefined || r.data?.action === action));

describe("keybridge report evidence (live)", () => {
  it("counts every grant and revocation the audit trail records, with identity and rule", () => {
    expect(live.figures.grants.total).toBe(ofType("grant.requested", "grant").length);
    expect(live.figures.grants.total).toBe(2);
    expect(live.figures.grants.effective).toBe(ofType("grant.effective").length);
    expect(live.figures.revocations.total).toBe(ofType("revocation.requested").length);
    expect(live.figures.revocations.effective).toBe(1);
    const revocation = live.changes.find((c) => c.action === "revoke")!;
    expect(revocation).toMatchObject({
      identity: { personId: flow.ada, userName: "ada@example.org", externalId: "entra-ada" },
      system: "demo",
      profile: "demo-door",
      rules: ["door-access-demo"],
      state: "effective",
    });
    const effective = ofType("revocation.effective")[0]!;
    expect(revocation.effectiveAt).toBe(effective.data?.effectiveAt);
    expect(revocation.requestedAt).toBe(ofType("revocation.requested")[0]!.data?.requestedAt);
  });

  it("clocks the termination from the SCIM disable to the revocation effective: 100% within 24 hours", () => {
    const disabled = ofType("scim.user.deactivated")[0]!;
    const effective = ofType("revocation.effective")[0]!;
    expect(live.terminations).toHaveLength(1);
    expect(live.terminations[0]).toMatchObject({
      identity: { personId: flow.ada, userName: "ada@example.org" },
      startedAt: disabled.data?.at,
      kinds: ["scim_deactivated"],
      outcome: "effective",
      within24h: true,
      clockMs: Date.parse(String(effective.data?.effectiveAt)) - Date.parse(String(disabled.data?.at)),
    });
    expect(live.figures.terminations).toMatchObject({
      total: 1,
      withAccess: 1,
      within24h: 1,
      within24hPercent: 100,
    });
  });

  it("lists current access with the rule that justifies it, and the verified chain's anchor", () => {
    expect(live.register?.rows).toEqual([
      expect.objectContaining({
        identity: { personId: flow.bob, userName: "bob@example.org", externalId: "entra-bob" },
        system: "demo",
        profile: "demo-door",
        action: "grant",
        state: "effective",
        rules: [expect.objectContaining({ name: "door-access-demo" })],
      }),
    ]);
    expect(live.chain.live?.ok).toBe(true);
    expect(live.chain.window).toMatchObject({ records: trail.length, badHashes: [], brokenLinks: [] });
    expect(live.chain.window.lastHash).toBe(trail.at(-1)!.hash);
    expect(live.frameworks.map((f) => f.requirement)).toEqual([
      "R5.1",
      "R4.2",
      "Annex 11.2",
      "Annex A 5.18, 7.2",
    ]);
  });

  it("records the report in the audit trail as a documented review", async () => {
    const records = await readAuditRecords(kb.core.redis, { tenant: TENANT, since: flow.until }, 1000);
    const reported = records.find((r) => r.type === "operator.evidence_reported");
    expect(reported).toMatchObject({
      actor: "operator:auditor-test",
      data: { until: flow.until.toISOString() },
    });
  });
});

describe("keybridge report evidence --from-export", () => {
  it("gives the same report from the audit export alone, except the live register and chain walk", async () => {
    const exported = tempFile("audit.jsonl");
    expect((await runCli("audit", kb.config, ["export", ...window(), "--out", exported])).code).toBe(0);
    const run = await runCli("report", kb.config, [
      "evidence",
      ...window(),
      "--from-export",
      exported,
      "--format",
      "json",
    ]);
    expect(run.code).toBe(0);
    const fromExport = JSON.parse(run.stdout) as EvidenceReport;
    expect(fromExport.register).toBeUndefined();
    expect(fromExport.auditSource).toBe("export:audit.jsonl");
    const comparable = (r: EvidenceReport) => {
      const { generatedAt: _g, auditSource: _s, register: _r, frameworks: _f, chain, ...rest } = r;
      return { ...rest, chain: chain.window };
    };
    expect(comparable(fromExport)).toEqual(comparable(live));
    // R5.1 rests on the audit alone: its evidence reads the same either way.
    expect(fromExport.frameworks[0]).toEqual(live.frameworks[0]);
  });
});

describe("keybridge report evidence --format csv", () => {
  it("parses as CSV with one row per change and the termination share", async () => {
    const run = await runCli("report", kb.config, ["evidence", ...window(), "--format", "csv"]);
    expect(run.code).toBe(0);
    const [header, ...rows] = parseCsv(run.stdout);
    expect(header).toEqual([...EVIDENCE_CSV_HEADER]);
    for (const row of rows) expect(row).toHaveLength(EVIDENCE_CSV_HEADER.length);
    const col = (name: string) => EVIDENCE_CSV_HEADER.indexOf(name as never);
    const changes = rows.filter((r) => r[col("record")] === "change");
    expect(changes).toHaveLength(live.changes.length);
    expect(changes.map((r) => r[col("userName")]).sort()).toEqual([
      "ada@example.org",
      "ada@example.org",
      "bob@example.org",
    ]);
    expect(rows.map((r) => r[col("detail")])).toContain("terminations.within24hPercent=100");
  });

  it("refuses to overwrite an existing report file", async () => {
    const out = tempFile("twice.csv");
    expect(
      (await runCli("report", kb.config, ["evidence", ...window(), "--format", "csv", "--out", out])).code,
    ).toBe(0);
    const again = await runCli("report", kb.config, [
      "evidence",
      ...window(),
      "--format",
      "csv",
      "--out",
      out,
    ]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("never overwritten");
  });
});

describe("keybridge report evidence arguments", () => {
  it("ends a window reaching into the future at the report's time", async () => {
    const args = [
      "evidence",
      "--tenant",
      TENANT,
      "--since",
      flow.since.toISOString(),
      "--until",
      "2999-01-01T00:00:00Z",
    ];
    const before = Date.now();
    const run = await runCli("report", kb.config, [...args, "--format", "json"]);
    const report = JSON.parse(run.stdout) as EvidenceReport;
    expect(Date.parse(report.window.until)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(report.window.until)).toBeLessThanOrEqual(Date.now());
    expect(report.figures.terminations.within24hPercent).toBe(100);
  });

  it.each([
    [
      ["--tenant", TENANT, "--since", "2026-02-01T00:00:00Z", "--until", "2026-01-01T00:00:00Z"],
      "--since must be before --until",
    ],
    [
      ["--tenant", "nobody", "--since", "2026-01-01T00:00:00Z", "--until", "2026-02-01T00:00:00Z"],
      "unknown tenant nobody",
    ],
    [["--tenant", TENANT, "--since", "2026-01-01T00:00:00Z"], "--since and --until are required"],
    [
      ["--tenant", TENANT, "--from-export", "x.jsonl", "--format", "pdf"],
      "--format must be html, csv or json",
    ],
  ])("refuses %j with a usage error", async (argv, message) => {
    const run = await runCli("report", kb.config, ["evidence", ...argv]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
  });
});

describe("keybridge report evidence --format html", () => {
  it("opens in headless Chromium showing the figures, needs nothing else and prints", async () => {
    const out = tempFile("report.html");
    expect((await runCli("report", kb.config, ["evidence", ...window(), "--out", out])).code).toBe(0);
    const opened = await openInChromium(out);
    try {
      const { page } = opened;
      const figure = (id: string) => page.locator(`[data-figure="${id}"]`).textContent();
      expect(await figure("within24h")).toBe("100% (1 of 1)");
      expect(await figure("grants")).toBe("2 (2 effective)");
      expect(await figure("revocations")).toBe("1 (1 effective)");
      expect(await figure("chain-live")).toContain("Whole chain verified");
      expect(await page.locator("#terminations tbody tr").count()).toBe(1);
      expect(await page.locator("#terminations tbody").textContent()).toContain("ada@example.org");
      expect(await page.locator("#register tbody").textContent()).toContain("door-access-demo");
      expect(await page.locator("script").count()).toBe(0);
      expect(opened.requests).toEqual([expect.stringMatching(/^file:/)]);
      await page.emulateMedia({ media: "print" });
      const pdf = await page.pdf({ format: "A4", landscape: true });
      expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    } finally {
      await opened.close();
    }
  }, 60_000);
});

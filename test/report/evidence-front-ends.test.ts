// The evidence report through its HTTP front ends, on the demo flow (grant, disable, revocation
// effective): the admin API answers the same report the CLI writes, and the console page shows its
// figures and offers the evidence HTML — one implementation (operations/report-evidence.ts), three doors.
import { AdminTokens } from "../../src/admin/admin-tokens";
import { readAuditRecords } from "../../src/audit/export-audit";
import type { EvidenceReport } from "../../src/report/evidence-report";
import type { E2eKeybridge } from "../e2e/e2e-processes";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { type FlowResult, runCli, runEvidenceFlow, startEvidenceKeybridge, TENANT } from "./evidence-flow";

let redis: TestRedis;
let kb: E2eKeybridge;
let flow: FlowResult;
let base: string;
let secret: string;

beforeAll(async () => {
  redis = await startTestRedis();
  kb = await startEvidenceKeybridge(redis.url);
  flow = await runEvidenceFlow(kb);
  base = `http://127.0.0.1:${kb.port}`;
  const tokens = new AdminTokens({ redis: kb.core.redis, audit: kb.core.audit });
  ({ secret } = await tokens.create("auditor-ines", "viewer", { actor: "test" }));
}, 60_000);

afterAll(async () => {
  await kb?.close();
  await redis?.stop();
});

const window = () =>
  `tenant=${TENANT}&since=${encodeURIComponent(flow.since.toISOString())}&until=${encodeURIComponent(flow.until.toISOString())}`;

test("GET /admin/v1/reports/evidence answers the CLI's report, and a viewer's request is audited", async () => {
  const headers = { authorization: `Bearer ${secret}` };
  const res = await fetch(`${base}/admin/v1/reports/evidence?${window()}`, { headers });
  expect(res.status).toBe(200);
  const api = (await res.json()) as EvidenceReport;
  const cli = await runCli("report", kb.config, [
    "evidence",
    ...["--tenant", TENANT, "--since", flow.since.toISOString(), "--until", flow.until.toISOString()],
    ...["--format", "json"],
  ]);
  const fromCli = JSON.parse(cli.stdout) as EvidenceReport;
  expect(api.figures).toEqual(fromCli.figures);
  expect(api.changes).toEqual(fromCli.changes);
  expect(api.figures.terminations).toMatchObject({ total: 1, within24h: 1, within24hPercent: 100 });
  const csv = await fetch(`${base}/admin/v1/reports/evidence?${window()}&format=csv`, { headers });
  expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
  expect(await csv.text()).toContain("ada@example.org");
  const bad = await fetch(`${base}/admin/v1/reports/evidence?${window()}&format=pdf`, { headers });
  expect(bad.status).toBe(400);
  const unknown = await fetch(
    `${base}/admin/v1/reports/evidence?tenant=nope&since=2020-01-01&until=2021-01-01`,
    {
      headers,
    },
  );
  expect(unknown.status).toBe(400);
  const reported = (await readAuditRecords(kb.core.redis, { tenant: TENANT })).filter(
    (r) => r.type === "operator.evidence_reported",
  );
  expect(reported.map((r) => r.actor)).toEqual([
    "operator:auditor-ines",
    "operator:auditor-test",
    "operator:auditor-ines",
  ]);
});

test("the console's report page shows the flow's figures and its HTML download is the evidence report", async () => {
  const login = await fetch(`${base}/admin/v1/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token: secret }),
  });
  const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
  const get = (path: string) => fetch(`${base}${path}`, { headers: { cookie } });
  const page = await (await get(`/console/report?${window()}&run=1`)).text();
  expect(page).toContain("<dt>Grants</dt><dd>2 (2 effective, 0 pending, 0 failed)</dd>");
  expect(page).toContain("<dt>Revocations</dt><dd>1 (1 effective, 0 pending, 0 failed)</dd>");
  expect(page).toContain("<dt>Removed within 24 hours</dt><dd>1 of 1 (100%)</dd>");
  const download = await get(`/console/report/download?${window()}&format=html`);
  expect(download.headers.get("content-disposition")).toContain(`keybridge-evidence-${TENANT}.html`);
  const evidence = await download.text();
  expect(evidence).toContain("<h1>Access evidence report</h1>");
  expect(evidence).toContain("ada@example.org");
});

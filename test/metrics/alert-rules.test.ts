// docs/prometheus-alerts.yml and docs/grafana-dashboard.json stay loadable and true (promtool is not
// installed here): every rule has alert, expr, for, labels.severity and annotations, and every
// keybridge metric an expression or a panel uses exists in the registry keybridge serves.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { createMetrics } from "../../src/metrics/metrics";
import { registerCoreGauges } from "../../src/metrics/core-gauges";

const docs = join(__dirname, "../../docs");

/** Names keybridge's registry exposes, including histogram series (_bucket, _sum, _count). */
async function servedNames(): Promise<Set<string>> {
  const metrics = createMetrics();
  const clock = { now: () => new Date() };
  const sources = { queues: { systems: () => [] }, configured: () => true, tenants: async () => [], clock };
  registerCoreGauges(metrics, sources as unknown as Parameters<typeof registerCoreGauges>[1]);
  const names = new Set<string>();
  for (const m of await metrics.registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (String(m.type) === "histogram") for (const s of ["_bucket", "_sum", "_count"]) names.add(`${m.name}${s}`);
  }
  return names;
}

const used = (expr: string) => [...expr.matchAll(/\b(keybridge_[a-z_]+)\b/g)].map((m) => m[1] as string);

interface Rule {
  alert?: unknown;
  expr?: unknown;
  for?: unknown;
  labels?: { severity?: unknown };
  annotations?: Record<string, unknown>;
}

test("alert rules have the fields Prometheus needs and use only served metrics", async () => {
  const doc = parse(readFileSync(join(docs, "prometheus-alerts.yml"), "utf8")) as {
    groups: { name: string; rules: Rule[] }[];
  };
  const names = await servedNames();
  expect(doc.groups.length).toBeGreaterThan(0);
  const alerts = doc.groups.flatMap((g) => {
    expect(typeof g.name).toBe("string");
    return g.rules;
  });
  for (const rule of alerts) {
    expect(typeof rule.alert).toBe("string");
    expect(typeof rule.expr).toBe("string");
    expect(String(rule.for)).toMatch(/^\d+[smhd]$/);
    expect(["critical", "warning", "info"]).toContain(rule.labels?.severity);
    expect(typeof rule.annotations?.summary).toBe("string");
    expect(used(String(rule.expr)).length).toBeGreaterThan(0);
    expect(used(String(rule.expr)).filter((n) => !names.has(n))).toEqual([]);
  }
  // The alerts the issue names: revocation SLA, key system paused, queue age.
  const exprs = alerts.map((r) => String(r.expr)).join("\n");
  for (const needed of [
    "keybridge_revocation_oldest_pending_age_seconds",
    "keybridge_key_system_paused",
    "keybridge_queue_oldest_job_age_seconds",
  ])
    expect(exprs).toContain(needed);
});

test("the Grafana dashboard's panels query only served metrics", async () => {
  const dash = JSON.parse(readFileSync(join(docs, "grafana-dashboard.json"), "utf8")) as {
    panels: { title: string; targets: { expr: string }[] }[];
  };
  const names = await servedNames();
  const exprs = dash.panels.flatMap((p) => p.targets.map((t) => t.expr));
  expect(exprs.length).toBeGreaterThan(5);
  expect(exprs.flatMap(used).filter((n) => !names.has(n))).toEqual([]);
});

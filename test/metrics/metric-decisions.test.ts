// The pure decisions behind /metrics, /readyz and the pending board: which audit event moves which
// metric, when the process is ready, and the board's order (longest exposure first).
import { metricOfEvent } from "../../src/metrics/observing-audit";
import { byExposure, type PendingRevocation } from "../../src/operations/pending-revocations";
import { decideReadiness } from "../../src/runtime/readiness";

const subject = { kind: "person" as const, id: "p1" };

test("revocation.effective observes requested → effective; driver.error counts its kind; others nothing", () => {
  const now = new Date("2026-12-07T12:00:00Z");
  const effective = {
    type: "revocation.effective",
    actor: "worker",
    subject,
    outcome: "success" as const,
    data: { system: "main-iloq", requestedAt: "2026-12-07T11:59:00Z" },
  };
  expect(metricOfEvent(effective, now)).toEqual({ system: "main-iloq", revocationSeconds: 60 });
  const error = { ...effective, type: "driver.error", data: { system: "cliq", kind: "systemic" } };
  expect(metricOfEvent(error, now)).toEqual({ system: "cliq", driverErrorKind: "systemic" });
  expect(metricOfEvent({ ...effective, type: "grant.effective" }, now)).toEqual({});
});

test("ready only when Redis answers, the workers run (if any) and no key system is paused", () => {
  expect(decideReadiness({ redis: "ok", workers: null, pausedSystems: [] }).ready).toBe(true);
  expect(decideReadiness({ redis: "ok", workers: "running", pausedSystems: [] }).ready).toBe(true);
  expect(decideReadiness({ redis: "unreachable", workers: "running", pausedSystems: [] }).ready).toBe(false);
  expect(decideReadiness({ redis: "ok", workers: "stopped", pausedSystems: [] }).ready).toBe(false);
  expect(decideReadiness({ redis: "ok", workers: null, pausedSystems: ["cliq"] }).ready).toBe(false);
});

test("pending revocations: latest exposureUntil first, then those without an estimate oldest first", () => {
  const r = (profile: string, requestedAt: string, exposureUntil?: string): PendingRevocation => ({
    tenant: "t",
    system: "s",
    personId: "p",
    profile,
    state: "pending_programming",
    requestedAt,
    ...(exposureUntil ? { exposureUntil } : {}),
  });
  const sorted = [
    r("a", "2026-01-02T00:00:00Z"),
    r("b", "2026-01-01T00:00:00Z", "2026-01-03T00:00:00Z"),
    r("c", "2026-01-01T00:00:00Z"),
    r("d", "2026-01-01T00:00:00Z", "2026-01-09T00:00:00Z"),
  ].sort(byExposure);
  expect(sorted.map((x) => x.profile)).toEqual(["d", "b", "c", "a"]);
});

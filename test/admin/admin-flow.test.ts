// The admin API and /metrics against `keybridge start` on real Redis and the simulated key systems:
// an Entra person provisioned over SCIM is found, their detail says which rules grant what; an
// operator's emergency revoke (reason mandatory) takes one key system's access away until lifted and
// is in the audit search with actor and reason; after the SCIM + reconcile flow, /metrics shows the
// SCIM counters, the revocation latency histogram and the queue gauges moving.
import { AdminTokens } from "../../src/admin/admin-tokens";
import { holderExternalId } from "../../src/access/holder-spec";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { type E2eKeybridge, e2eConfig, startKeybridge } from "../e2e/e2e-processes";
import { EXAMPLE_PERSONS, EXAMPLE_TENANTS, exampleMappings } from "../e2e/example-flow";
import { deactivate, provision } from "../e2e/idp-sequences";

const SIMULATED = { options: { programmingDelayMs: 100, propagationDelayMs: 100 } };
const TENANT = "nordwerk-entra";
const grete = EXAMPLE_PERSONS[0]!;

let redis: TestRedis;
let kb: E2eKeybridge;
let operator: string;
let viewer: string;

async function admin(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`http://127.0.0.1:${kb.port}/admin/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the assertions walk the JSON answers
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

async function scrape(): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${kb.port}/metrics`, {
    headers: { authorization: "Bearer scrape-me" },
  });
  expect(res.status).toBe(200);
  return res.text();
}

function sample(text: string, name: string, labels: Record<string, string>): number {
  const line = text
    .split("\n")
    .find(
      (l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)),
    );
  return line ? Number(line.split(" ").at(-1)) : 0;
}

beforeAll(async () => {
  redis = await startTestRedis();
  kb = await startKeybridge(
    e2eConfig(
      {
        redisUrl: redis.url,
        mappingsDir: exampleMappings({ "main-iloq": "memory", "substations-cliq": "memory" }),
        tenants: EXAMPLE_TENANTS,
        keySystems: { "main-iloq": SIMULATED, "substations-cliq": SIMULATED },
        reconcile: { backoffMs: 50, confirmAfterMs: 200 },
        metrics: { tokenSecret: "METRICS_TOKEN" },
      },
      { METRICS_TOKEN: "scrape-me" },
    ),
    "start",
  );
  const tokens = new AdminTokens({ redis: kb.core.redis, audit: kb.core.audit });
  operator = (await tokens.create("olga", "operator", { actor: "test" })).secret;
  viewer = (await tokens.create("vic", "viewer", { actor: "test" })).secret;
});
afterAll(async () => {
  await kb?.close();
  await redis?.stop();
});

test("/metrics refuses a scrape without the configured token", async () => {
  expect((await fetch(`http://127.0.0.1:${kb.port}/metrics`)).status).toBe(401);
  const wrong = await fetch(`http://127.0.0.1:${kb.port}/metrics`, {
    headers: { authorization: "Bearer nope" },
  });
  expect(wrong.status).toBe(401);
});

test("find a person, see why they hold a profile, revoke in an emergency, lift it; metrics move", async () => {
  const before = await scrape();
  const scim = await kb.scim(TENANT);
  const id = await provision(grete.idp, scim, grete.facts);
  await kb.waitForLedger(TENANT, "main-iloq", id, "control-room", "grant", ["effective"]);
  await kb.waitForLedger(TENANT, "substations-cliq", id, "substation-access", "grant", ["effective"]);

  const found = await admin("GET", `/tenants/${TENANT}/persons?q=grete`, viewer);
  expect(found.body.persons).toEqual([
    expect.objectContaining({ id, userName: grete.facts.userName, active: true }),
  ]);
  const detail = await admin("GET", `/tenants/${TENANT}/persons/${id}`, viewer);
  const iloq = detail.body.status.systems.find((s: { system: string }) => s.system === "main-iloq");
  const controlRoom = iloq.grants.find((g: { profile: string }) => g.profile === "control-room");
  expect(controlRoom).toMatchObject({ desired: true, action: "grant", state: "effective" });
  expect(controlRoom.rules.length).toBeGreaterThan(0);
  expect(detail.body.explanation.grants.length).toBeGreaterThan(0);

  // A viewer may not act; an operator must give a reason.
  expect(
    (await admin("POST", `/tenants/${TENANT}/persons/${id}/emergency-revoke`, viewer, { reason: "x" }))
      .status,
  ).toBe(403);
  expect(
    (await admin("POST", `/tenants/${TENANT}/persons/${id}/emergency-revoke`, operator, {})).status,
  ).toBe(400);
  const revoked = await admin("POST", `/tenants/${TENANT}/persons/${id}/emergency-revoke`, operator, {
    reason: "key reported lost, ticket 4711",
    systems: ["main-iloq"],
    lostKey: true,
  });
  expect(revoked.status).toBe(202);
  expect(revoked.body).toMatchObject({ status: "applied", enqueued: { "main-iloq": 1 } });
  await kb.waitForLedger(TENANT, "main-iloq", id, "control-room", "revoke", ["effective"]);
  const held = await kb.driver("main-iloq").observe(holderExternalId(TENANT, "main-iloq", id));
  expect(held.credentials.flatMap((c) => c.programmedGrants)).toEqual([]);
  // A lost key is blocked itself, not only emptied: the key system's own state says so.
  expect(held.credentials.length).toBeGreaterThan(0);
  for (const c of held.credentials) expect(["lost", "blocked"]).toContain(c.status);
  // The other key system is untouched: the IdP still says active and the rules still grant it.
  const cliq = await kb.core.ledger.read(TENANT, "substations-cliq", id);
  expect(cliq.entries.find((e) => e.profile === "substation-access")).toMatchObject({
    action: "grant",
    state: "effective",
  });

  const audit = await admin("GET", `/audit?person=${id}&type=operator.`, viewer);
  expect(audit.body.records).toEqual([
    expect.objectContaining({
      type: "operator.emergency_revoked",
      actor: "operator:olga",
      reason: "key reported lost, ticket 4711",
      data: { systems: ["main-iloq"], lostKey: true },
    }),
  ]);

  const lifted = await admin("POST", `/tenants/${TENANT}/persons/${id}/lift-suspension`, operator, {
    reason: "key found",
  });
  expect(lifted.status).toBe(200);
  await kb.waitForLedger(TENANT, "main-iloq", id, "control-room", "grant", ["effective"]);

  await deactivate(grete.idp, scim, id);
  await kb.waitForLedger(TENANT, "main-iloq", id, "control-room", "revoke", ["effective"]);
  await kb.waitForLedger(TENANT, "substations-cliq", id, "substation-access", "revoke", ["effective"]);
  expect((await admin("GET", "/revocations/pending", viewer)).body.revocations).toEqual([]);

  const after = await scrape();
  const users = { tenant: TENANT, route: "POST /scim/v2/:tenant/Users", status: "201" };
  expect(sample(after, "keybridge_scim_requests_total", users)).toBe(
    sample(before, "keybridge_scim_requests_total", users) + 1,
  );
  expect(after).toMatch(
    /keybridge_scim_request_duration_seconds_bucket\{le="[^"]+",tenant="nordwerk-entra",route="PATCH \/scim\/v2\/:tenant\/Users\/:id"/,
  );
  expect(after).not.toContain(id); // routes are templated: no person id becomes a label
  const latency = (s: string) =>
    sample(s, "keybridge_revocation_latency_seconds_count", { system: "main-iloq" });
  expect(latency(after)).toBeGreaterThanOrEqual(latency(before) + 2); // the emergency revoke and the leaver
  expect(after).toMatch(/keybridge_queue_depth\{system="main-iloq"\} \d+/);
  expect(after).toMatch(/keybridge_queue_oldest_job_age_seconds\{system="substations-cliq"\} [\d.]+/);
  expect(after).toMatch(/keybridge_key_system_paused\{system="main-iloq"\} 0/);
  expect(after).toMatch(/keybridge_revocation_max_exposure_seconds\{system="main-iloq"\} [\d.]+/);
});

test("/healthz is liveness, /readyz readiness with its checks", async () => {
  const live = await fetch(`http://127.0.0.1:${kb.port}/healthz`);
  expect(live.status).toBe(200);
  const ready = await fetch(`http://127.0.0.1:${kb.port}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toMatchObject({
    ready: true,
    redis: "ok",
    workers: "running",
    pausedSystems: [],
  });
  await kb.core.queues.queue("main-iloq").pause();
  const paused = await fetch(`http://127.0.0.1:${kb.port}/readyz`);
  expect(paused.status).toBe(503);
  expect(await paused.json()).toMatchObject({ ready: false, pausedSystems: ["main-iloq"] });
  const resumed = await admin("POST", "/key-systems/main-iloq/resume", operator, {
    reason: "vendor fixed the certificate",
  });
  expect(resumed.body).toEqual({ system: "main-iloq", wasPaused: true });
  expect((await fetch(`http://127.0.0.1:${kb.port}/readyz`)).status).toBe(200);
});

// What an operator sees and does about signals, through the CLI entry points on the running keybridge:
// `access status` names the suspending signal, `signals report` lists each category, `signals status`
// counts per channel, and `signals lift` ends a suspension, audited with actor and reason.
import { Writable } from "node:stream";
import { runAccessStatus } from "../../src/cli/access-status";
import { runSignals } from "../../src/cli/signals-command";
import { recordChannelState } from "../../src/signals/channel-state";
import { buildSignalsReport, SCIM_SILENCE_MS, type SignalsReport } from "../../src/signals/signals-report";
import { oktaHookSender, oktaLogEvent } from "../fakes/okta/event-hook-sender";
import {
  auditRecords,
  eventually,
  examplePerson,
  OKTA_SECRET,
  OKTA_TENANT,
  provisionGranted,
  type SignalsKeybridge,
  startSignalsKeybridge,
} from "./signals-harness";

let env: SignalsKeybridge;
beforeAll(async () => {
  env = await startSignalsKeybridge();
}, 30_000);
afterAll(async () => {
  await env?.close();
});

async function cli(run: typeof runSignals, argv: string[]) {
  let out = "";
  let err = "";
  const code = await run(argv, {
    loadConfig: () => env.kb.config,
    io: { out: (t) => (out += t), err: (t) => (err += t) },
    actor: (explicit) => `operator:${explicit ?? "tester@host"}`,
  });
  return { code, out, err };
}

async function accessStatus(personId: string): Promise<string> {
  let out = "";
  const sink = new Writable({
    write(chunk, _enc, done) {
      out += String(chunk);
      done();
    },
  });
  await runAccessStatus(["--tenant", OKTA_TENANT, "--user", personId], {
    loadConfig: () => env.kb.config,
    stdout: sink,
    stderr: sink,
  });
  return out;
}

const systems = ["main-iloq", "substations-cliq"];
const activate = {
  schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
  Operations: [{ op: "replace", value: { active: true } }],
};

it("shows, reports and lifts a suspension by signal", async () => {
  const p = await provisionGranted(env.kb, examplePerson("okta", "ops.case"));
  const sender = oktaHookSender(env.hookUrl("okta", OKTA_TENANT), {
    header: "authorization",
    secret: OKTA_SECRET,
  });
  // The key systems are out of reach (queues paused): the revocation is requested but keys still work.
  for (const s of systems) await env.kb.core.queues.queue(s).pause();
  try {
    const event = oktaLogEvent({ eventType: "user.lifecycle.deactivate", userId: p.idpId });
    const nobody = oktaLogEvent({ eventType: "user.lifecycle.deactivate", userId: "00u-unknown-ops" });
    expect((await sender.send([event, nobody])).status).toBe(200);
    await eventually("the suspension", async () =>
      (await env.kb.core.store.getPerson(OKTA_TENANT, p.id))?.signalHold?.suspension ? true : undefined,
    );
    expect((await p.scim("PATCH", `/Users/${p.id}`, activate)).status).toBe(200);

    expect(await accessStatus(p.id)).toMatch(
      new RegExp(`suspended by signal: okta-hook, event ${event.uuid} \\(disabled\\), arrived at \\d{4}-`),
    );
    const report = JSON.parse(
      (await cli(runSignals, ["report", "--tenant", OKTA_TENANT, "--json"])).out,
    ) as SignalsReport;
    expect(report.suspendedButScimActive.map((r) => r.personId)).toContain(p.id);
    const holding = report.revokedButHoldingKeys.find((r) => r.personId === p.id);
    expect(holding?.eventId).toBe(event.uuid);
    expect(holding?.holding.length).toBeGreaterThan(0);
    expect(report.unmatched.count).toBeGreaterThanOrEqual(1);
    expect(report.unmatched.recent.map((u) => u.eventId)).toContain(nobody.uuid);
    expect(report.scimSilence.silent).toBe(false);
    const text = (await cli(runSignals, ["report", "--tenant", OKTA_TENANT])).out;
    expect(text).toContain(`${p.id} (ops.case@nordwerk.example): disabled by okta-hook, event ${event.uuid}`);
    const status = (await cli(runSignals, ["status", "--tenant", OKTA_TENANT])).out;
    expect(status).toMatch(/okta-hook: last signal \d{4}-/);
  } finally {
    for (const s of systems) await env.kb.core.queues.queue(s).resume();
  }

  const lifted = await cli(runSignals, [
    "lift",
    "--tenant",
    OKTA_TENANT,
    "--person",
    p.id,
    "--reason",
    "INC-42 wrong disable",
  ]);
  expect(lifted.code).toBe(0);
  const record = (await auditRecords(env.kb, "operator.signal_lifted")).find((r) => r.subject.id === p.id);
  expect(record).toMatchObject({ actor: "operator:tester@host", reason: "INC-42 wrong disable" });
  // SCIM says active and nothing holds the person any more: the grants are (again) effective.
  for (const [system, profiles] of Object.entries(p.person.expect))
    for (const profile of Object.keys(profiles))
      await env.kb.waitForLedger(OKTA_TENANT, system, p.id, profile, "grant", ["effective"]);
  expect(await accessStatus(p.id)).not.toContain("suspended by signal");
  expect(
    (await cli(runSignals, ["lift", "--tenant", OKTA_TENANT, "--person", p.id, "--reason", "again"])).code,
  ).toBe(1);
});

it("reports SCIM silence longer than two Entra cycles", async () => {
  const deps = {
    redis: env.kb.core.redis,
    directory: env.kb.core.store,
    ledger: env.kb.core.ledger,
    systems: () => systems,
  };
  const now = await buildSignalsReport({ ...deps, now: () => new Date() }, OKTA_TENANT);
  expect(now.scimSilence.silent).toBe(false);
  const last = Date.parse(now.scimSilence.lastScimChangeAt ?? "");
  const later = await buildSignalsReport(
    { ...deps, now: () => new Date(last + SCIM_SILENCE_MS + 1) },
    OKTA_TENANT,
  );
  expect(later.scimSilence).toMatchObject({ silent: true, silentForMs: SCIM_SILENCE_MS + 1 });
  const empty = await buildSignalsReport({ ...deps, now: () => new Date() }, "nordwerk-entra");
  expect(empty.scimSilence).toMatchObject({ lastScimChangeAt: null, silent: true });
});

it("shows what a polling channel reports through recordChannelState in `signals status`", async () => {
  await recordChannelState(env.kb.core.redis, OKTA_TENANT, "okta-log", {
    okAt: "2026-12-07T10:00:00.000Z",
    lagMs: 1234,
  });
  await recordChannelState(env.kb.core.redis, OKTA_TENANT, "okta-log", {
    error: "OKTA_RATE_LIMITED",
    errorAt: "2026-12-07T10:01:00.000Z",
  });
  const json = JSON.parse(
    (await cli(runSignals, ["status", "--tenant", OKTA_TENANT, "--json"])).out,
  ) as Array<Record<string, unknown>>;
  expect(json.find((s) => s.channel === "okta-log")).toEqual({
    channel: "okta-log",
    lastOkAt: "2026-12-07T10:00:00.000Z",
    lagMs: 1234,
    lastError: "OKTA_RATE_LIMITED",
    lastErrorAt: "2026-12-07T10:01:00.000Z",
    counts: { errors: 1 },
  });
  const text = (await cli(runSignals, ["status", "--tenant", OKTA_TENANT])).out;
  expect(text).toContain("okta-log: last signal never");
  expect(text).toContain("last error at 2026-12-07T10:01:00.000Z: OKTA_RATE_LIMITED");
});

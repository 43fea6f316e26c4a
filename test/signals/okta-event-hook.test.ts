// The Okta Event Hook receiver end to end: Okta's documented requests (test/fakes/okta/event-hook-sender.ts)
// into the keybridge `start` runs, out to the memory key system, whose own state is checked.
import { buildSignalDeps } from "../../src/runtime/build-signal-deps";
import { applySignal } from "../../src/signals/apply-signal";
import { oktaEventToSignal } from "../../src/signals/okta-event-kinds";
import { redisKeys } from "../../src/store/redis-keys";
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
  waitRevoked,
} from "./signals-harness";

let env: SignalsKeybridge;
beforeAll(async () => {
  env = await startSignalsKeybridge();
}, 30_000);
afterAll(async () => {
  await env?.close();
});

const sender = () =>
  oktaHookSender(env.hookUrl("okta", OKTA_TENANT), { header: "authorization", secret: OKTA_SECRET });

describe("Okta Event Hook receiver", () => {
  it("answers the one-time verification challenge", async () => {
    const answer = await sender().verify("challenge-4f1e");
    expect(answer).toEqual({ status: 200, body: { verification: "challenge-4f1e" } });
  });

  it("refuses a delivery with a wrong secret with 401 and changes nothing", async () => {
    const p = await provisionGranted(env.kb, examplePerson("okta", "wrong.secret"));
    const before = await env.kb.core.store.getGeneration(OKTA_TENANT, p.id);
    const event = oktaLogEvent({ eventType: "user.lifecycle.deactivate", userId: p.idpId });
    const answer = await sender().send([event], "not-the-secret");
    expect(answer.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(await env.kb.core.store.getGeneration(OKTA_TENANT, p.id)).toBe(before);
    expect(await env.kb.core.redis.exists(redisKeys.signalHold(OKTA_TENANT, p.id))).toBe(0);
    expect(await env.kb.core.redis.llen(redisKeys.signalInbox(OKTA_TENANT, "okta-hook"))).toBe(0);
    const seen = (await auditRecords(env.kb)).filter((r) => r.data?.eventId === event.uuid);
    expect(seen).toEqual([]);
  });

  it("revokes a deactivated person's keys in the key system, linked to the signal in the audit", async () => {
    const p = await provisionGranted(env.kb, examplePerson("okta", "hook.leaver"));
    const event = oktaLogEvent({ eventType: "user.lifecycle.deactivate", userId: p.idpId });
    const answer = await sender().send([event]);
    expect(answer.status).toBe(200);
    await waitRevoked(env.kb, p);
    const records = await auditRecords(env.kb);
    const applied = records.find((r) => r.type === "signal.applied" && r.data?.eventId === event.uuid);
    expect(applied).toMatchObject({ subject: { kind: "person", id: p.id }, data: { channel: "okta-hook" } });
    const revocations = records.filter(
      (r) => r.type.startsWith("revocation.") && r.correlationId === applied?.correlationId,
    );
    expect(revocations.length).toBeGreaterThan(0);
  });

  it("applies a redelivered event once and keeps a later SCIM active=true from lifting the suspension", async () => {
    const p = await provisionGranted(env.kb, examplePerson("okta", "hook.twice"));
    const event = oktaLogEvent({ eventType: "user.lifecycle.suspend", userId: p.idpId });
    expect((await sender().send([event])).status).toBe(200);
    expect((await sender().send([event])).status).toBe(200);
    await waitRevoked(env.kb, p);
    const outcomes = await eventually("both deliveries audited", async () => {
      const mine = (await auditRecords(env.kb)).filter((r) => r.data?.eventId === event.uuid);
      return mine.length === 2 ? mine.map((r) => r.type).sort() : undefined;
    });
    expect(outcomes).toEqual(["signal.applied", "signal.duplicate"]);
    // The monitoring sees both outcomes per channel.
    const scrape = await (await fetch(`http://127.0.0.1:${env.kb.port}/metrics`)).text();
    for (const status of ["applied", "duplicate"])
      expect(scrape).toMatch(
        new RegExp(`keybridge_signals_total\\{channel="okta-hook",status="${status}"\\} [1-9]`),
      );
    // The IdP's SCIM path says active again; without the IdP confirming, the person stays suspended.
    const put = await p.scim("PATCH", `/Users/${p.id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", value: { active: true } }],
    });
    expect(put.status).toBe(200);
    const person = await env.kb.core.store.getPerson(OKTA_TENANT, p.id);
    expect(person?.user.active).toBe(true);
    expect(env.kb.core.access.evaluate(person!, new Date())).toEqual([]);
    await new Promise((r) => setTimeout(r, 500));
    await waitRevoked(env.kb, p);
  });

  it("orders a suspension and a confirmation by when Okta says they happened, not by arrival", async () => {
    const p = await provisionGranted(env.kb, examplePerson("okta", "hook.back"));
    const t0 = Date.now();
    const suspend = oktaLogEvent({
      eventType: "user.lifecycle.suspend",
      userId: p.idpId,
      published: new Date(t0).toISOString(),
    });
    const unsuspend = oktaLogEvent({
      eventType: "user.lifecycle.unsuspend",
      userId: p.idpId,
      published: new Date(t0 + 1000).toISOString(),
    });
    // Out of order: the later event arrives first; the hold orders by when Okta says things happened.
    expect((await sender().send([unsuspend])).status).toBe(200);
    expect((await sender().send([suspend])).status).toBe(200);
    const grants = await eventually("the suspension is recorded", async () => {
      const person = await env.kb.core.store.getPerson(OKTA_TENANT, p.id);
      return person?.signalHold?.suspension ? env.kb.core.access.evaluate(person, new Date()) : undefined;
    });
    expect(grants.length).toBeGreaterThan(0);
  });

  it("gives keys back through SCIM once Okta confirms the person active after a suspension", async () => {
    const p = await provisionGranted(env.kb, examplePerson("okta", "hook.returns"));
    const t0 = Date.now();
    const at = (ms: number) => new Date(t0 + ms).toISOString();
    const suspend = oktaLogEvent({ eventType: "user.lifecycle.suspend", userId: p.idpId, published: at(0) });
    expect((await sender().send([suspend])).status).toBe(200);
    await waitRevoked(env.kb, p);
    const unsuspend = oktaLogEvent({
      eventType: "user.lifecycle.unsuspend",
      userId: p.idpId,
      published: at(1000),
    });
    expect((await sender().send([unsuspend])).status).toBe(200);
    for (const [system, profiles] of Object.entries(p.person.expect))
      for (const profile of Object.keys(profiles))
        await env.kb.waitForLedger(OKTA_TENANT, system, p.id, profile, "grant", ["effective"]);
  });

  it("keeps a sessions-revoked event as evidence only, unless the tenant says it suspends", async () => {
    const p = await provisionGranted(env.kb, examplePerson("okta", "hook.sessions"));
    const cleared = oktaLogEvent({ eventType: "user.session.clear", userId: p.idpId });
    expect((await sender().send([cleared])).status).toBe(200);
    const record = await eventually("the evidence record", async () =>
      (await auditRecords(env.kb)).find((r) => r.data?.eventId === cleared.uuid),
    );
    expect(record).toMatchObject({ type: "signal.received", subject: { kind: "person", id: p.id } });
    expect(await env.kb.core.redis.exists(redisKeys.signalHold(OKTA_TENANT, p.id))).toBe(0);
    // signals.sessionsRevoked: suspend (the decision buildSignalDeps reads from the config).
    const deps = { ...buildSignalDeps(env.kb.core), sessionsRevokedSuspends: () => true };
    const ended = oktaEventToSignal(
      OKTA_TENANT,
      "okta-hook",
      oktaLogEvent({ eventType: "user.session.end", userId: p.idpId }),
      new Date(),
    );
    expect(await applySignal(deps, ended!)).toEqual({ status: "applied", personId: p.id });
    await waitRevoked(env.kb, p);
  });

  it("applies what a process queued but died before applying (the periodic drain picks it up)", async () => {
    const p = await provisionGranted(env.kb, examplePerson("okta", "hook.crash"));
    const event = oktaLogEvent({ eventType: "user.lifecycle.deactivate", userId: p.idpId });
    const signal = oktaEventToSignal(OKTA_TENANT, "okta-hook", event, new Date());
    // Exactly what the receiver writes before answering 200; no process kicks a drain for it.
    await env.kb.core.redis.rpush(redisKeys.signalInbox(OKTA_TENANT, "okta-hook"), JSON.stringify(signal));
    await waitRevoked(env.kb, p);
  });

  it("audits a signal for an unknown person as unmatched and changes nobody", async () => {
    const event = oktaLogEvent({ eventType: "user.lifecycle.deactivate", userId: "00u-nobody-here" });
    expect((await sender().send([event])).status).toBe(200);
    const record = await eventually("the unmatched record", async () =>
      (await auditRecords(env.kb, "signal.unmatched")).find((r) => r.data?.eventId === event.uuid),
    );
    expect(record).toMatchObject({
      subject: { kind: "tenant", id: OKTA_TENANT },
      data: { subject: "00u-nobody-here" },
    });
    const unmatched = await env.kb.core.redis.lrange(redisKeys.signalUnmatched(OKTA_TENANT), 0, -1);
    expect(unmatched.some((u) => u.endsWith(`|okta-hook|${event.uuid}`))).toBe(true);
  });

  it("answers a delivery of 100 events at once (queued before applying)", async () => {
    const events = Array.from({ length: 100 }, (_, i) =>
      oktaLogEvent({ eventType: "user.lifecycle.deactivate", userId: `00u-batch-${i}` }),
    );
    const answer = await sender().send(events);
    expect(answer.status).toBe(200);
    await eventually("all 100 applied", async () => {
      const left = await env.kb.core.redis.llen(redisKeys.signalInbox(OKTA_TENANT, "okta-hook"));
      return left === 0 ? true : undefined;
    });
  });
});

// The SailPoint ISC trigger receiver end to end: ISC's documented trigger payloads
// (test/fakes/sailpoint/trigger-sender.ts) into the keybridge `start` runs, out to the memory key system.
import { buildSignalDeps } from "../../src/runtime/build-signal-deps";
import { applySignal } from "../../src/signals/apply-signal";
import { ENTERPRISE_USER_URN } from "../../src/store/directory-types";
import { redisKeys } from "../../src/store/redis-keys";
import {
  identityAttributesChanged,
  identityDeleted,
  provisioningCompleted,
  sendTrigger,
} from "../fakes/sailpoint/trigger-sender";
import { startSailpointSimulator } from "../fakes/sailpoint/sailpoint-simulator";
import {
  auditRecords,
  eventually,
  examplePerson,
  ISC_TENANT,
  ISC_TOKEN,
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

const bearer = { kind: "bearer" as const, token: ISC_TOKEN };
const send = (payload: unknown, auth: Parameters<typeof sendTrigger>[1] = bearer) =>
  sendTrigger(env.hookUrl("sailpoint", ISC_TENANT), auth, payload);

describe("SailPoint ISC trigger receiver", () => {
  it("revokes a person whose lifecycle state turned terminated", async () => {
    const p = await provisionGranted(env.kb, examplePerson("sailpoint", "isc.terminated"));
    expect(await send(identityAttributesChanged(p.idpId, "active", "terminated"))).toBe(200);
    await waitRevoked(env.kb, p);
  });

  it("revokes a person whose identity was deleted, once per invocation id", async () => {
    const p = await provisionGranted(env.kb, examplePerson("sailpoint", "isc.deleted"));
    const payload = identityDeleted(p.idpId, "inv-deleted-1");
    expect(await send(payload)).toBe(200);
    expect(await send(payload)).toBe(200);
    await waitRevoked(env.kb, p);
    const types = await eventually("both invocations audited", async () => {
      const mine = (await auditRecords(env.kb)).filter((r) => r.data?.eventId === "inv-deleted-1");
      return mine.length === 2 ? mine.map((r) => r.type).sort() : undefined;
    });
    expect(types).toEqual(["signal.applied", "signal.duplicate"]);
  });

  it("takes away the one group a Provisioning Completed removal names, until SCIM removes it too", async () => {
    const p = await provisionGranted(env.kb, examplePerson("sailpoint", "isc.mover"));
    const person = await env.kb.core.store.getPerson(ISC_TENANT, p.id);
    const group = person?.groups[0];
    if (!group) throw new Error("the example contractor has a group");
    // SailPoint's group entitlement value is the SCIM Group id it aggregated.
    expect(await send(provisioningCompleted(p.idpId, [group.id]))).toBe(200);
    await waitRevoked(env.kb, p);
    const held = await env.kb.core.redis.hkeys(redisKeys.signalHold(ISC_TENANT, p.id));
    expect(held).toEqual([`group:${group.id}`]);
    // SCIM catches up: the membership goes, and with it the suppression.
    const patch = await p.scim("PATCH", `/Users/${p.id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "remove", path: `groups[value eq "${group.id}"]` }],
    });
    expect(patch.status).toBe(200);
    await eventually("the suppression ended", async () => {
      await env.kb.core.store.getPerson(ISC_TENANT, p.id);
      const left = await env.kb.core.redis.hkeys(redisKeys.signalHold(ISC_TENANT, p.id));
      return left.length === 0 ? true : undefined;
    });
  });

  it("keybridge simulate sailpoint: the printed curl, aimed at this receiver, revokes a leaver", async () => {
    const p = await provisionGranted(env.kb, examplePerson("sailpoint", "isc.simulated"));
    const sim = await startSailpointSimulator({ port: 0 });
    try {
      const curl = /curl -s -X POST (\S+) .* -d '(.*)'$/m.exec(sim.banner);
      const body = JSON.parse(curl?.[2] ?? "{}") as Record<string, unknown>;
      expect(body).toMatchObject({ identityId: "<externalId>", state: "terminated" });
      const res = await fetch(curl?.[1] ?? "", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...body, identityId: p.idpId, target: env.hookUrl("sailpoint", ISC_TENANT) }),
      });
      expect(await res.json()).toEqual({ sent: true, keybridgeStatus: 200 });
      await waitRevoked(env.kb, p);
      // A demo sender posts to loopback only.
      const away = await fetch(curl?.[1] ?? "", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...body, target: "http://example.org/hooks/sailpoint/x" }),
      });
      expect(away.status).toBe(400);
    } finally {
      await sim.stop();
    }
  });

  it("refuses a wrong bearer token and basic credentials with 401 and queues nothing", async () => {
    const p = await provisionGranted(env.kb, examplePerson("sailpoint", "isc.wrong"));
    const payload = identityDeleted(p.idpId);
    expect(await send(payload, { kind: "bearer", token: "guess" })).toBe(401);
    expect(await send(payload, { kind: "basic", user: "isc", password: ISC_TOKEN })).toBe(401);
    expect(await env.kb.core.redis.llen(redisKeys.signalInbox(ISC_TENANT, "sailpoint"))).toBe(0);
    expect(await env.kb.core.redis.exists(redisKeys.signalHold(ISC_TENANT, p.id))).toBe(0);
  });

  it("matches by the tenant's join key: userName, or an attribute path — and never guesses among several", async () => {
    const p = await provisionGranted(env.kb, examplePerson("sailpoint", "isc.joined"));
    const core = buildSignalDeps(env.kb.core);
    const signal = (eventId: string, subject: string) => ({
      tenant: ISC_TENANT,
      channel: "sailpoint" as const,
      eventId,
      kind: "disabled" as const,
      subject,
      occurredAt: new Date().toISOString(),
      evidence: {},
    });
    const byPath = { ...core, joinKey: () => `${ENTERPRISE_USER_URN}:employeeType` };
    // Every example contractor has employeeType Contractor: two or more matches are no match.
    expect(await applySignal(byPath, signal("join-1", "Contractor"))).toEqual({ status: "unmatched" });
    expect(await env.kb.core.redis.exists(redisKeys.signalHold(ISC_TENANT, p.id))).toBe(0);
    const byUserName = { ...core, joinKey: () => "userName" };
    expect(await applySignal(byUserName, signal("join-2", p.person.facts.userName))).toEqual({
      status: "applied",
      personId: p.id,
    });
    await waitRevoked(env.kb, p);
  });
});

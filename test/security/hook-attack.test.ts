// The IdP push receivers under attack: requests an attacker (or a misbehaving IdP) can send to
// /hooks/okta/{tenant} and /hooks/sailpoint/{tenant} of a running `keybridge start` on real Redis.
import { oktaHookEnvelope, oktaLogEvent } from "../fakes/okta/event-hook-sender";
import { redisKeys } from "../../src/store/redis-keys";
import {
  ISC_TENANT,
  ISC_TOKEN,
  OKTA_SECRET,
  OKTA_TENANT,
  auditRecords,
  eventually,
  examplePerson,
  provisionGranted,
  waitRevoked,
  type SignalsKeybridge,
  startSignalsKeybridge,
} from "../signals/signals-harness";

let env: SignalsKeybridge;
beforeAll(async () => {
  env = await startSignalsKeybridge();
}, 30_000);
afterAll(async () => {
  await env?.close();
});

async function post(url: string, body: string, auth?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (auth !== undefined) headers.authorization = auth;
  const res = await fetch(url, { method: "POST", headers, body });
  return { status: res.status, text: await res.text() };
}

describe("hook receivers against hostile requests", () => {
  it("answers an unknown tenant exactly like a known tenant with a wrong secret (no existence probe)", async () => {
    const unknown = await post(env.hookUrl("okta", "no-such-tenant"), "{}", "guess");
    const wrong = await post(env.hookUrl("okta", OKTA_TENANT), "{}", "guess");
    expect(wrong.status).toBe(401);
    expect(unknown).toEqual(wrong);
    const iscUnknown = await post(env.hookUrl("sailpoint", "no-such-tenant"), "{}", "Bearer guess");
    const iscWrong = await post(env.hookUrl("sailpoint", ISC_TENANT), "{}", "Bearer guess");
    expect(iscUnknown).toEqual(iscWrong);
    // A tenant without an Okta hook (the SailPoint one) is no different either.
    expect(await post(env.hookUrl("okta", ISC_TENANT), "{}", "guess")).toEqual(wrong);
  });

  it("answers the verification challenge of an unknown tenant exactly like a known one", async () => {
    const challenge = async (tenant: string) => {
      const res = await fetch(env.hookUrl("okta", tenant), {
        headers: { "x-okta-verification-challenge": "c-1" },
      });
      return { status: res.status, body: await res.text() };
    };
    const known = await challenge(OKTA_TENANT);
    expect(known).toEqual({ status: 200, body: '{"verification":"c-1"}' });
    expect(await challenge("no-such-tenant")).toEqual(known);
    expect(await challenge(ISC_TENANT)).toEqual(known);
  });

  it("echoes a verification challenge only as JSON, never as a page a browser would render", async () => {
    const res = await fetch(env.hookUrl("okta", OKTA_TENANT), {
      headers: { "x-okta-verification-challenge": "<script>alert(1)</script>" },
    });
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  });

  it("answers malformed event shapes without a 500 and queues nothing", async () => {
    const url = env.hookUrl("okta", OKTA_TENANT);
    const shapes = [
      { data: { events: [{ uuid: "e1", eventType: "user.lifecycle.deactivate", target: "00u1" }] } },
      { data: { events: [{ uuid: "e2", eventType: "user.lifecycle.deactivate", target: { id: "x" } }] } },
      { data: { events: [{ uuid: "e3", eventType: "user.lifecycle.deactivate", target: [7, "s", null] }] } },
      { data: { events: "not-a-list" } },
      { data: { events: [1, "two", null, [], true] } },
    ];
    for (const shape of shapes) {
      const answer = await post(url, JSON.stringify(shape), OKTA_SECRET);
      expect(answer.status).toBeLessThan(500);
    }
    expect(await env.kb.core.redis.llen(redisKeys.signalInbox(OKTA_TENANT, "okta-hook"))).toBe(0);
  });

  it("survives a body nested 100,000 levels deep without a 500 or a queued signal", async () => {
    const deep = `{"data":${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    const answer = await post(env.hookUrl("okta", OKTA_TENANT), deep, OKTA_SECRET);
    expect(answer).toEqual({ status: 200, text: '{"queued":0}' });
    const isc = await post(env.hookUrl("sailpoint", ISC_TENANT), deep, `Bearer ${ISC_TOKEN}`);
    expect(isc).toEqual({ status: 200, text: '{"queued":0}' });
  });

  it("drops events whose ids are too long to be an IdP's and still queues the rest of the delivery", async () => {
    const url = env.hookUrl("okta", OKTA_TENANT);
    const huge = "x".repeat(100_000);
    const ok = oktaLogEvent({ eventType: "user.lifecycle.deactivate", userId: "00u-unmatched" });
    const events = [
      oktaLogEvent({ eventType: "user.lifecycle.deactivate", userId: "00uok", uuid: huge }),
      oktaLogEvent({ eventType: "user.lifecycle.deactivate", userId: huge }),
      ok,
    ];
    const answer = await post(url, JSON.stringify(oktaHookEnvelope(events)), OKTA_SECRET);
    expect(answer).toEqual({ status: 200, text: '{"queued":1}' });
    const seen = await eventually("the valid event applied", async () => {
      const key = redisKeys.signalSeen(OKTA_TENANT, "okta-hook");
      const ids: string[] = await env.kb.core.redis.zrange(key, "0", "-1");
      return ids.includes(ok.uuid as string) ? ids : undefined;
    });
    expect(seen.filter((id) => id.length > 512)).toEqual([]);
  });

  it("keeps a __proto__ event id an ordinary id and Object.prototype untouched", async () => {
    const url = env.hookUrl("okta", OKTA_TENANT);
    const body = `{"__proto__":{"polluted":1},"data":{"events":[{"uuid":"__proto__","eventType":"user.lifecycle.deactivate","target":[{"type":"User","id":"__proto__"}],"__proto__":{"polluted":2}}]}}`;
    const answer = await post(url, body, OKTA_SECRET);
    expect(answer.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("does not let one tenant's receiver touch a person of another tenant with the same IdP id", async () => {
    const p = await provisionGranted(env.kb, examplePerson("okta", "cross.tenant"));
    const before = await env.kb.core.store.getGeneration(OKTA_TENANT, p.id);
    // The SailPoint tenant's receiver, with its own valid token, names the Okta tenant's person.
    const payload = {
      _metadata: { invocationId: `cross-${p.id}` },
      identity: { id: p.idpId, type: "IDENTITY" },
    };
    const answer = await post(
      env.hookUrl("sailpoint", ISC_TENANT),
      JSON.stringify(payload),
      `Bearer ${ISC_TOKEN}`,
    );
    expect(answer).toEqual({ status: 200, text: '{"queued":1}' });
    await eventually("the signal audited as unmatched", async () => {
      const mine = (await auditRecords(env.kb, "signal.unmatched")).filter(
        (r) => r.data?.eventId === `cross-${p.id}`,
      );
      return mine.length === 1 ? mine : undefined;
    });
    expect(await env.kb.core.store.getGeneration(OKTA_TENANT, p.id)).toBe(before);
    expect(await env.kb.core.redis.exists(redisKeys.signalHold(OKTA_TENANT, p.id))).toBe(0);
  });

  it("queues a full 1 MiB delivery of thousands of events in one answer", async () => {
    const events = Array.from({ length: 9_000 }, (_, i) => ({
      uuid: `bulk-${i}`,
      eventType: "user.lifecycle.deactivate",
      target: [{ type: "User", id: `00u-bulk-${i}` }],
    }));
    const body = JSON.stringify({ data: { events } });
    expect(body.length).toBeLessThan(1024 * 1024);
    const answer = await post(env.hookUrl("okta", OKTA_TENANT), body, OKTA_SECRET);
    expect(answer).toEqual({ status: 200, text: '{"queued":9000}' });
    const tooBig = await post(env.hookUrl("okta", OKTA_TENANT), " ".repeat(1024 * 1024 + 1), OKTA_SECRET);
    expect(tooBig.status).toBe(413);
    // Every queued event is applied (unmatched ids); the next test's leaver must not queue behind them.
    const inbox = redisKeys.signalInbox(OKTA_TENANT, "okta-hook");
    await eventually(
      "the 9,000 events applied",
      async () => ((await env.kb.core.redis.llen(inbox)) === 0 ? true : undefined),
      90_000,
    );
  }, 120_000);

  it("revokes a leaver queued behind an event whose ids carry lone surrogates", async () => {
    const p = await provisionGranted(env.kb, examplePerson("okta", "behind.poison"));
    const poison = `{"uuid":"poison-\\ud800","published":"2000-01-01T00:00:00Z","eventType":"user.lifecycle.deactivate","target":[{"type":"User","id":"00u\\udfff"}]}`;
    const leaver = JSON.stringify(oktaLogEvent({ eventType: "user.lifecycle.deactivate", userId: p.idpId }));
    const body = `{"data":{"events":[${poison},${leaver}]}}`;
    const answer = await post(env.hookUrl("okta", OKTA_TENANT), body, OKTA_SECRET);
    expect(answer.status).toBe(200);
    await waitRevoked(env.kb, p);
  }, 30_000);
});

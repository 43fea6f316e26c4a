// The Okta System Log channel end to end: keybridge started as `keybridge start` (src/runtime) with the
// shipped example on memory key systems; two Okta org fakes driven by the real @okta/okta-sdk-nodejs —
// one tenant as an API service app (private-key JWT), one with an SSWS token. An event appended to an
// org's System Log ends with the person's revocations effective in the key system's own state.
import { readChannelState } from "../../src/signals/channel-state";
import { OktaOrgFake } from "../fakes/okta/org-fake";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { type E2eKeybridge, e2eConfig, startKeybridge } from "./e2e-processes";
import { EXAMPLE_TENANTS, exampleMappings } from "./example-flow";
import {
  examplePerson,
  FAST_POLL_BUCKET,
  expectRevoked,
  provisionGranted,
  rsaKeyPair,
  SIMULATED,
  signalRecords,
  waitFor,
  waitForSignalRecord,
} from "./okta-log-harness";

const OKTA = "nordwerk-okta";
/** A second Okta connection; it borrows the SailPoint tenant's rules, only its credential kind matters. */
const SSWS_TENANT = "nordwerk-sailpoint";
const POLL = { pollIntervalSeconds: 0.2 };

describe("Okta System Log signals through startProcesses", () => {
  let redis: TestRedis;
  let kb: E2eKeybridge;
  const oauthOrg = new OktaOrgFake(FAST_POLL_BUCKET);
  const sswsOrg = new OktaOrgFake(FAST_POLL_BUCKET);
  const key = rsaKeyPair();
  let n = 0;

  beforeAll(async () => {
    redis = await startTestRedis();
    await oauthOrg.start();
    await sswsOrg.start();
    oauthOrg.addServiceApp("0oa-keybridge", key.publicPem);
    sswsOrg.sswsTokens.add("00-ssws-read-only");
    const tenants = EXAMPLE_TENANTS.map((t) => ({ ...t }) as Record<string, unknown>);
    const oauth = {
      orgUrl: oauthOrg.url,
      auth: "privateKey",
      clientId: "0oa-keybridge",
      privateKeySecretName: "OKTA_KEY",
    };
    const ssws = { orgUrl: sswsOrg.url, auth: "ssws", tokenSecretName: "OKTA_TOKEN" };
    for (const t of tenants) {
      if (t.id === OKTA) t.signals = { oktaLog: { ...oauth, ...POLL } };
      if (t.id === SSWS_TENANT) t.signals = { oktaLog: { ...ssws, ...POLL } };
    }
    kb = await startKeybridge(
      e2eConfig(
        {
          redisUrl: redis.url,
          mappingsDir: exampleMappings({ "main-iloq": "memory", "substations-cliq": "memory" }),
          tenants,
          keySystems: { "main-iloq": SIMULATED, "substations-cliq": SIMULATED },
          reconcile: { backoffMs: 50, confirmAfterMs: 200 },
        },
        { OKTA_KEY: key.privatePem, OKTA_TOKEN: "00-ssws-read-only" },
      ),
      "start",
    );
  });

  afterAll(async () => {
    await kb?.close();
    await oauthOrg.stop();
    await sswsOrg.stop();
    await redis?.stop();
  });

  it("a deactivation in the System Log revokes the person's keys (private-key JWT service app)", async () => {
    const granted = await provisionGranted(kb, OKTA, examplePerson("okta", ++n));
    const [event] = oauthOrg.append({ eventType: "user.lifecycle.deactivate", userId: granted.externalId });
    await expectRevoked(kb, OKTA, granted);
    const record = await waitForSignalRecord(kb, "signal.applied", event!.uuid);
    expect(record).toMatchObject({ tenant: OKTA, actor: `idp:${OKTA}:okta-log`, data: { kind: "disabled" } });
    // SCIM still calls the person active: only the signal took their access away.
    const user = await (await kb.scim(OKTA))("GET", `/Users/${granted.id}`);
    expect(user.body.active).toBe(true);
    expect(oauthOrg.requests.filter((r) => r.path === "/oauth2/v1/token").map((r) => r.status)).toEqual([
      200,
    ]);
    expect(new Set(oauthOrg.logRequests().map((r) => r.auth))).toEqual(new Set(["Bearer"]));
  });

  it("a suspension read with an SSWS token revokes too", async () => {
    const granted = await provisionGranted(kb, SSWS_TENANT, examplePerson("sailpoint", ++n));
    const [event] = sswsOrg.append({ eventType: "user.lifecycle.suspend", userId: granted.externalId });
    await expectRevoked(kb, SSWS_TENANT, granted);
    await waitForSignalRecord(kb, "signal.applied", event!.uuid);
    expect(new Set(sswsOrg.logRequests().map((r) => r.auth))).toEqual(new Set(["SSWS"]));
  });

  it("applies out-of-order events each once and answers a redelivered uuid as a duplicate", async () => {
    const first = await provisionGranted(kb, OKTA, examplePerson("okta", ++n));
    const second = await provisionGranted(kb, OKTA, examplePerson("okta", ++n));
    const earlier = new Date(Date.now() - 120_000).toISOString();
    // Persisted in this order, published the other way round (the System Log orders by persistence).
    const [late, early] = oauthOrg.append(
      { eventType: "user.lifecycle.deactivate", userId: second.externalId },
      { eventType: "user.lifecycle.delete.initiated", userId: first.externalId, published: earlier },
    );
    await expectRevoked(kb, OKTA, first);
    await expectRevoked(kb, OKTA, second);
    oauthOrg.append(late!);
    await waitForSignalRecord(kb, "signal.duplicate", late!.uuid);
    const applied = (await signalRecords(kb)).filter((r) => r.type === "signal.applied");
    expect(applied.filter((r) => r.data.eventId === late!.uuid)).toHaveLength(1);
    expect(applied.filter((r) => r.data.eventId === early!.uuid)).toHaveLength(1);
  });

  it("waits out every 429 of a storm until X-Rate-Limit-Reset and still revokes", async () => {
    const granted = await provisionGranted(kb, OKTA, examplePerson("okta", ++n));
    const from = oauthOrg.requests.length;
    oauthOrg.faults.push(...[1, 1, 1].map((s) => ({ status: 429 as const, resetInSeconds: s })));
    oauthOrg.append({ eventType: "user.lifecycle.deactivate", userId: granted.externalId });
    await expectRevoked(kb, OKTA, granted);
    const seen = oauthOrg.requests.slice(from).filter((r) => r.path === "/api/v1/logs");
    const limited = seen.filter((r) => r.status === 429);
    expect(limited).toHaveLength(3);
    for (const r of limited) {
      const after = seen[seen.indexOf(r) + 1];
      expect(after?.at).toBeGreaterThanOrEqual(r.resetAtMs!);
    }
    const state = await readChannelState(kb.core.redis, OKTA, "okta-log");
    expect(state.lastError).toMatch(/^okta 429/);
    expect(state.counts.errors).toBeGreaterThanOrEqual(3);
  });

  it("audits a deactivation of someone keybridge does not know as unmatched, changing nothing", async () => {
    const [event] = oauthOrg.append({ eventType: "user.lifecycle.deactivate", userId: "00u-nobody-here" });
    const record = await waitForSignalRecord(kb, "signal.unmatched", event!.uuid);
    expect(record.data.subject).toBe("00u-nobody-here");
    const state = await waitFor("unmatched count", async () => {
      const s = await readChannelState(kb.core.redis, OKTA, "okta-log");
      return (s.counts.unmatched ?? 0) >= 1 ? s : undefined;
    });
    expect(state.lastOkAt).toBeDefined();
  });
});

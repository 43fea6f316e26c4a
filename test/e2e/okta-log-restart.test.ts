// A restart between a System Log poll and its apply: the first process reads a page of two leavers,
// applies the first and dies before the second. Its cursor was not advanced, so keybridge started again
// (src/runtime, the same Redis) reads the same page: the first event is a duplicate, the second is
// applied — nothing lost, nothing applied twice.
import type { OktaLogConfig } from "../../src/config/okta-log-schema";
import { silentLogger } from "../../src/log/logger";
import { buildSignalDeps } from "../../src/runtime/build-signal-deps";
import { applySignal } from "../../src/signals/apply-signal";
import {
  OKTA_SIGNAL_EVENT_TYPES,
  type OktaLogEvent,
  oktaEventToSignal,
} from "../../src/signals/okta-event-kinds";
import { OktaLogCursorStore } from "../../src/signals/okta/okta-log-cursor";
import { createOktaLogFetcher } from "../../src/signals/okta/okta-log-fetcher";
import { pollOktaLog } from "../../src/signals/okta/poll-okta-log";
import { redisKeys } from "../../src/store/redis-keys";
import { OktaOrgFake } from "../fakes/okta/org-fake";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { type E2eKeybridge, e2eConfig, startKeybridge } from "./e2e-processes";
import { EXAMPLE_TENANTS, exampleMappings } from "./example-flow";
import {
  examplePerson,
  FAST_POLL_BUCKET,
  expectRevoked,
  provisionGranted,
  SIMULATED,
  signalRecords,
  waitForSignalRecord,
} from "./okta-log-harness";

const OKTA = "nordwerk-okta";
const TOKEN = "00-ssws-read-only";

describe("a restart between a System Log poll and its apply", () => {
  let redis: TestRedis;
  let kb: E2eKeybridge | undefined;
  const org = new OktaOrgFake(FAST_POLL_BUCKET);
  const mappingsDir = exampleMappings({ "main-iloq": "memory", "substations-cliq": "memory" });

  function config(withPoller: boolean) {
    const oktaLog = {
      orgUrl: org.url,
      auth: "ssws",
      tokenSecretName: "OKTA_TOKEN",
      pollIntervalSeconds: 0.2,
    };
    const tenants = EXAMPLE_TENANTS.map((t) =>
      t.id === OKTA && withPoller ? { ...t, signals: { oktaLog } } : t,
    );
    const raw = {
      redisUrl: redis.url,
      mappingsDir,
      tenants,
      keySystems: { "main-iloq": SIMULATED, "substations-cliq": SIMULATED },
    };
    return e2eConfig({ ...raw, reconcile: { backoffMs: 50, confirmAfterMs: 200 } }, { OKTA_TOKEN: TOKEN });
  }

  beforeAll(async () => {
    redis = await startTestRedis();
    await org.start();
    org.sswsTokens.add(TOKEN);
  });

  afterAll(async () => {
    await kb?.close();
    await org.stop();
    await redis?.stop();
  });

  const redisOf = () => {
    if (!kb) throw new Error("keybridge is not running");
    return kb.core.redis;
  };

  it("re-reads the page after the restart and applies only what was not applied", async () => {
    const dying = await startKeybridge(config(false), "start");
    kb = dying;
    const first = await provisionGranted(kb, OKTA, examplePerson("okta", 1));
    const second = await provisionGranted(kb, OKTA, examplePerson("okta", 2));

    // The first process: polling before the leavers leave (an empty page), then a page with both
    // leavers is read, one signal applied, and the process dies.
    const settings: OktaLogConfig = {
      orgUrl: org.url,
      auth: "ssws",
      tokenSecretName: "OKTA_TOKEN",
      pollIntervalSeconds: 15,
      maxPagesPerTick: 5,
      pageSize: 100,
    };
    const deps = buildSignalDeps(dying.core);
    let applied = 0;
    const poll = () =>
      pollOktaLog({
        tenant: OKTA,
        orgUrl: org.url,
        eventTypes: OKTA_SIGNAL_EVENT_TYPES,
        pageSize: 100,
        maxPagesPerTick: 5,
        fetcher: createOktaLogFetcher(settings, { OKTA_TOKEN: TOKEN }, "test"),
        cursor: new OktaLogCursorStore(dying.core.redis, OKTA),
        toSignal: (e, at) => oktaEventToSignal(OKTA, "okta-log", e as OktaLogEvent, at),
        apply: async (signal) => {
          if (applied++ === 1) throw new Error("process killed");
          return applySignal(deps, signal);
        },
        report: async () => {},
        stillLeader: async () => true,
        now: () => new Date(),
        logger: silentLogger(),
      });
    const cursorNext = () => redisOf().hget(redisKeys.oktaLogCursor(OKTA), "next");
    expect(await poll()).toMatchObject({ pages: 1, signals: 0 });
    const before = await cursorNext();
    const [early, late] = org.append(
      {
        eventType: "user.lifecycle.deactivate",
        userId: first.externalId,
        published: new Date(Date.now() - 1000).toISOString(),
      },
      { eventType: "user.lifecycle.deactivate", userId: second.externalId },
    );
    expect(await poll()).toMatchObject({ pages: 1, signals: 1 });
    expect(await cursorNext()).toBe(before);
    await kb.close();

    // Started again with the poller configured: it continues from the persisted cursor.
    kb = await startKeybridge(config(true), "start");
    await expectRevoked(kb, OKTA, first);
    await expectRevoked(kb, OKTA, second);
    await waitForSignalRecord(kb, "signal.duplicate", early!.uuid);
    const records = (await signalRecords(kb)).filter((r) => r.type === "signal.applied");
    expect(records.filter((r) => r.data.eventId === early!.uuid)).toHaveLength(1);
    expect(records.filter((r) => r.data.eventId === late!.uuid)).toHaveLength(1);
    expect(await cursorNext()).not.toBe(before);
  });
});

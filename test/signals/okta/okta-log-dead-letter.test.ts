// A System Log event whose apply fails every time must not stop the tenant's poller at its page: the
// leavers logged after it would never be revoked. Through the real SDK fetcher against the org fake and
// real Redis, with the same wrapper the workers use (setAsideHopeless): the failing event is retried, then
// set aside in the channel's dead list and reported, and the events behind it apply.
import { parseConfig } from "../../../src/config/load-config";
import { silentLogger } from "../../../src/log/logger";
import { readChannelState, recordChannelState } from "../../../src/signals/channel-state";
import { MAX_ATTEMPTS } from "../../../src/signals/failure-streak";
import type { IdpSignal, SignalOutcome } from "../../../src/signals/idp-signal";
import {
  OKTA_SIGNAL_EVENT_TYPES,
  type OktaLogEvent,
  oktaEventToSignal,
} from "../../../src/signals/okta-event-kinds";
import { OktaLogCursorStore } from "../../../src/signals/okta/okta-log-cursor";
import { createOktaLogFetcher } from "../../../src/signals/okta/okta-log-fetcher";
import { type OktaLogPollDeps, pollOktaLog } from "../../../src/signals/okta/poll-okta-log";
import { setAsideHopeless } from "../../../src/signals/set-aside-hopeless";
import { redisKeys } from "../../../src/store/redis-keys";
import { OktaOrgFake } from "../../fakes/okta/org-fake";
import { startTestRedis, type TestRedis } from "../../helpers/test-redis";

const TENANT = "acme";

describe("Okta System Log poller and a hopeless event", () => {
  let org: OktaOrgFake;
  let redis: TestRedis;
  let client: ReturnType<TestRedis["client"]>;

  beforeAll(async () => {
    redis = await startTestRedis();
    client = redis.client();
    org = new OktaOrgFake();
    await org.start();
    org.sswsTokens.add("ssws-token-1");
  });
  afterAll(async () => {
    client.disconnect();
    await org.stop();
    await redis.stop();
  });

  function pollDeps(apply: (s: IdpSignal) => Promise<SignalOutcome>, now: () => Date): OktaLogPollDeps {
    const config = parseConfig({
      tenants: [
        {
          id: TENANT,
          displayName: "Acme",
          kind: "okta",
          signals: { oktaLog: { orgUrl: org.url, auth: "ssws", tokenSecretName: "OKTA_TOKEN" } },
        },
      ],
    });
    const settings = config.tenants[0]?.signals?.oktaLog;
    if (!settings) throw new Error("no oktaLog settings");
    return {
      tenant: TENANT,
      orgUrl: org.url,
      eventTypes: OKTA_SIGNAL_EVENT_TYPES,
      pageSize: settings.pageSize,
      maxPagesPerTick: settings.maxPagesPerTick,
      fetcher: createOktaLogFetcher(settings, { OKTA_TOKEN: "ssws-token-1" }, "t"),
      cursor: new OktaLogCursorStore(client, TENANT),
      toSignal: (event, at) => oktaEventToSignal(TENANT, "okta-log", event as OktaLogEvent, at),
      apply,
      report: (update) => recordChannelState(client, TENANT, "okta-log", update, now()),
      stillLeader: async () => true,
      now,
      logger: silentLogger(),
    };
  }

  it("sets the event aside after the failure streak and applies the leavers behind it", async () => {
    const [poison] = org.append({ eventType: "user.lifecycle.deactivate", userId: "00u-poison" });
    await new Promise((r) => setTimeout(r, 5)); // the leaver is published after the failing event
    const [leaver] = org.append({ eventType: "user.lifecycle.deactivate", userId: "00u-leaver" });
    const applied: string[] = [];
    let clock = Date.now() - 60_000; // the poller's first `since`: before both events
    const now = () => new Date(clock);
    // Fault injection: one subject fails on every apply (a defect's stand-in); the rest apply.
    const apply = setAsideHopeless({ redis: client, logger: silentLogger(), now }, async (s: IdpSignal) => {
      if (s.subject === "00u-poison") throw new Error("defect");
      applied.push(s.eventId);
      return { status: "applied" } as SignalOutcome;
    });
    const deps = pollDeps(apply, now);

    // Failures in quick succession are not enough: a Redis blip must not cost a signal.
    for (let i = 0; i < MAX_ATTEMPTS + 2; i++) await pollOktaLog(deps);
    expect(applied).toEqual([]);
    expect(await client.llen(redisKeys.signalInboxDead(TENANT, "okta-log"))).toBe(0);

    clock += 10_000; // the streak has now lasted long enough
    await pollOktaLog(deps);
    expect(applied).toEqual([leaver?.uuid]);
    const dead = await client.lrange(redisKeys.signalInboxDead(TENANT, "okta-log"), 0, -1);
    expect(dead.map((t) => (JSON.parse(t) as IdpSignal).eventId)).toEqual([poison?.uuid]);
    const state = await readChannelState(client, TENANT, "okta-log");
    expect(state.lastError).toContain(`BRIDGE_SIGNAL_DEAD_LETTERED event ${poison?.uuid}`);

    // The cursor moved past the page: the next tick does not read the set-aside event again.
    await pollOktaLog(deps);
    expect(applied).toEqual([leaver?.uuid]);
  });
});

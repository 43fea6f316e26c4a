// A queued signal that can never be applied must not hold up the leavers queued behind it: after
// MAX_ATTEMPTS failed applies it is set aside in the dead list and shows as the channel's error.
import { buildSignalDeps } from "../../src/runtime/build-signal-deps";
import { readChannelState } from "../../src/signals/channel-state";
import type { IdpSignal } from "../../src/signals/idp-signal";
import { MAX_ATTEMPTS } from "../../src/signals/failure-streak";
import { SignalInbox } from "../../src/signals/signal-inbox";
import { redisKeys } from "../../src/store/redis-keys";
import {
  eventually,
  examplePerson,
  ISC_TENANT,
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

const signal = (eventId: string, subject: string): IdpSignal => ({
  tenant: ISC_TENANT,
  // A channel the running keybridge does not drain for this tenant, so only this test's inbox applies.
  channel: "entra",
  eventId,
  kind: "disabled",
  subject,
  occurredAt: new Date().toISOString(),
  evidence: {},
});

it("sets a hopeless signal aside after MAX_ATTEMPTS and still revokes the leaver behind it", async () => {
  const leaver = await provisionGranted(env.kb, examplePerson("sailpoint", "isc.behind.poison"));
  const deps = buildSignalDeps(env.kb.core);
  // Fault injection: the directory lookup fails for one subject every time (a defect's stand-in).
  const store = {
    queryUsers: (tenant: string, query: Parameters<typeof deps.store.queryUsers>[1]) =>
      JSON.stringify(query).includes("poison-subject")
        ? Promise.reject(new Error("defect"))
        : deps.store.queryUsers(tenant, query),
  };
  const queued = () => env.kb.core.redis.llen(redisKeys.signalInbox(ISC_TENANT, "entra"));
  // Failures in quick succession are not enough: a Redis blip must not cost a signal.
  const patient = new SignalInbox({ ...deps, store });
  await patient.push(ISC_TENANT, "entra", [
    signal("poison-1", "poison-subject"),
    signal("ok-1", leaver.idpId),
  ]);
  for (let i = 0; i < MAX_ATTEMPTS + 2; i++) await patient.drain(ISC_TENANT, "entra");
  expect(await queued()).toBe(2);
  await patient.close();

  const inbox = new SignalInbox({ ...deps, store }, { deadLetterAfterMs: 0 });
  try {
    for (let i = 0; i < MAX_ATTEMPTS; i++) await inbox.drain(ISC_TENANT, "entra");
    await waitRevoked(env.kb, leaver);
    const dead = await env.kb.core.redis.lrange(redisKeys.signalInboxDead(ISC_TENANT, "entra"), 0, -1);
    expect(dead.map((t) => (JSON.parse(t) as IdpSignal).eventId)).toEqual(["poison-1"]);
    const state = await eventually("the channel error is recorded", async () => {
      const s = await readChannelState(env.kb.core.redis, ISC_TENANT, "entra");
      return s.lastError ? s : undefined;
    });
    expect(state.lastError).toContain("BRIDGE_SIGNAL_DEAD_LETTERED event poison-1");
  } finally {
    await inbox.close();
  }
});

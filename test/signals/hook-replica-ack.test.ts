// Okta does not send a delivery again once it got 200, so with `redis.waitReplicas` a hook delivery is
// answered 200 only once a replica holds it — like a SCIM write — and 503 (Okta retries once) while no
// replica confirms: a Sentinel failover right after the answer cannot lose a leaver's signal.
import { oktaHookSender, oktaLogEvent } from "../fakes/okta/event-hook-sender";
import { startSingleTestRedis, type TestRedis } from "../helpers/test-redis";
import { OKTA_SECRET, OKTA_TENANT, type SignalsKeybridge, startSignalsKeybridge } from "./signals-harness";

let env: SignalsKeybridge;
let replica: TestRedis | undefined;
beforeAll(async () => {
  env = await startSignalsKeybridge("start", { redis: { waitReplicas: 1, waitTimeoutMs: 1000 } });
}, 30_000);
afterAll(async () => {
  await env?.close();
  await replica?.stop();
});

const deactivation = () => oktaLogEvent({ eventType: "user.lifecycle.deactivate", userId: "00u-leaver" });

it("answers a delivery 503 while no replica confirms it, and 200 once one does", async () => {
  const sender = oktaHookSender(env.hookUrl("okta", OKTA_TENANT), {
    header: "authorization",
    secret: OKTA_SECRET,
  });
  expect((await sender.send([deactivation()])).status).toBe(503);

  replica = await startSingleTestRedis({ extraArgs: ["--replicaof", "127.0.0.1", String(env.redis.port)] });
  const primary = env.redis.client();
  try {
    for (let i = 0; i < 200; i++) {
      const info = await primary.info("replication");
      if (/slave0:.*state=online/.test(info)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    primary.disconnect();
  }
  // The replica's first acknowledgement can lag its "online" state on a loaded machine: Okta retries a
  // 503, so a few retries stand in for it; what matters is that a confirmed delivery gets 200.
  let status = 0;
  for (let i = 0; i < 5 && status !== 200; i++) status = (await sender.send([deactivation()])).status;
  expect(status).toBe(200);
});

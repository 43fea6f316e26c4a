// The hook receivers in `keybridge serve` and the reconcile in a separate `keybridge worker`: a signal
// applied by the API process reaches the workers through the shared queues, as with SCIM changes.
import { oktaHookSender, oktaLogEvent } from "../fakes/okta/event-hook-sender";
import { identityAttributesChanged, sendTrigger } from "../fakes/sailpoint/trigger-sender";
import {
  examplePerson,
  ISC_TENANT,
  ISC_TOKEN,
  OKTA_SECRET,
  OKTA_TENANT,
  provisionGranted,
  type SignalsKeybridge,
  startSignalsKeybridge,
  waitRevoked,
} from "./signals-harness";

let env: SignalsKeybridge;
beforeAll(async () => {
  env = await startSignalsKeybridge("serve+worker");
}, 30_000);
afterAll(async () => {
  await env?.close();
});

it("revokes through the worker process what the API process's receivers took in", async () => {
  const okta = await provisionGranted(env.kb, examplePerson("okta", "split.okta"));
  const isc = await provisionGranted(env.kb, examplePerson("sailpoint", "split.isc"));
  const sender = oktaHookSender(env.hookUrl("okta", OKTA_TENANT), {
    header: "authorization",
    secret: OKTA_SECRET,
  });
  expect(
    (await sender.send([oktaLogEvent({ eventType: "user.lifecycle.deactivate", userId: okta.idpId })]))
      .status,
  ).toBe(200);
  const trigger = identityAttributesChanged(isc.idpId, "active", "inactive");
  expect(
    await sendTrigger(env.hookUrl("sailpoint", ISC_TENANT), { kind: "bearer", token: ISC_TOKEN }, trigger),
  ).toBe(200);
  await Promise.all([waitRevoked(env.kb, okta), waitRevoked(env.kb, isc)]);
});

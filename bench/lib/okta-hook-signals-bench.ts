// The Okta Event Hook part of `npm run bench:signals` (written by the signals core): N leavers provisioned
// over SCIM into `keybridge start` on the memory key systems, then one deactivation each pushed through
// the real hook receiver; times to "revocation requested" (ledger shows the revoke) and "revocation
// effective" (memory key system reprogrammed), plus the hook's own answer time.
import type { GrantLedger } from "../../src/reconcile/grant-ledger";
import { oktaHookSender, oktaLogEvent } from "../../test/fakes/okta/event-hook-sender";
import {
  examplePerson,
  OKTA_SECRET,
  OKTA_TENANT,
  type Provisioned,
  provisionGranted,
  startSignalsKeybridge,
} from "../../test/signals/signals-harness";
import type { ChannelFigures } from "./entra-signals-bench";

export async function benchOktaHook(
  o: { leavers: number },
  log: (s: string) => void,
): Promise<ChannelFigures> {
  const N = o.leavers;
  const env = await startSignalsKeybridge();
  try {
    const persons: Provisioned[] = [];
    for (let i = 0; i < N; i++)
      persons.push(await provisionGranted(env.kb, examplePerson("okta", `bench.${i}`)));
    log(`okta-hook: ${N} leavers granted; deactivating them over ~1 s`);
    const sender = oktaHookSender(env.hookUrl("okta", OKTA_TENANT), {
      header: "authorization",
      secret: OKTA_SECRET,
    });
    const answers: number[] = [];
    const samples: ChannelFigures["samples"] = [];
    await Promise.all(
      persons.map(async (p, i) => {
        await new Promise((r) => setTimeout(r, i * 20)); // leavers arrive spread over ~1 s
        const t0 = performance.now();
        const sent = await sender.send([
          oktaLogEvent({ eventType: "user.lifecycle.deactivate", userId: p.idpId }),
        ]);
        if (sent.status !== 200) throw new Error(`hook answered ${sent.status}`);
        answers.push(performance.now() - t0);
        let requestedMs: number | undefined;
        for (;;) {
          const states = await revokeStates(env.kb.core.ledger, p);
          if (requestedMs === undefined && states.every((s) => s !== null))
            requestedMs = performance.now() - t0;
          if (states.every((s) => s === "effective")) break;
          await new Promise((r) => setTimeout(r, 5));
        }
        samples.push({ requestedMs: requestedMs ?? Number.NaN, effectiveMs: performance.now() - t0 });
      }),
    );
    return { channel: "okta-hook", samples, extra: { "hook answered": answers } };
  } finally {
    await env.close();
  }
}

/** Per expected grant: the revoke's ledger state, or null while the ledger still shows no revoke. */
async function revokeStates(ledger: GrantLedger, p: Provisioned) {
  const out: Array<string | null> = [];
  for (const [system, profiles] of Object.entries(p.person.expect)) {
    const read = await ledger.read(p.tenant, system, p.id);
    for (const profile of Object.keys(profiles)) {
      const e = read.entries.find((x) => x.profile === profile);
      out.push(e?.action === "revoke" ? e.state : null);
    }
  }
  return out;
}

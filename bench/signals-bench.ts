// Okta Event Hook → revocation latency: N leavers provisioned over SCIM into `keybridge start` on the
// memory key systems, then one deactivation each pushed through the real hook receiver; prints p50/p99
// of the hook's answer, of "revocation requested" (ledger shows the revoke) and of "revocation
// effective" (memory key system reprogrammed, 20 ms simulated programming delay). Run:
// `npx tsx bench/signals-bench.ts [--persons 50]`.
import { parseArgs } from "node:util";
import type { GrantLedger } from "../src/reconcile/grant-ledger";
import { oktaHookSender, oktaLogEvent } from "../test/fakes/okta/event-hook-sender";
import {
  examplePerson,
  OKTA_SECRET,
  OKTA_TENANT,
  type Provisioned,
  provisionGranted,
  startSignalsKeybridge,
} from "../test/signals/signals-harness";

const { values } = parseArgs({ options: { persons: { type: "string", default: "50" } } });
const N = Number(values.persons);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
};
const line = (what: string, xs: number[]) =>
  console.log(
    `${what.padEnd(34)} p50 ${pct(xs, 50).toFixed(0).padStart(6)} ms   p99 ${pct(xs, 99).toFixed(0).padStart(6)} ms`,
  );

async function main(): Promise<void> {
  const env = await startSignalsKeybridge();
  try {
    const persons: Provisioned[] = [];
    for (let i = 0; i < N; i++)
      persons.push(await provisionGranted(env.kb, examplePerson("okta", `bench.${i}`)));
    const sender = oktaHookSender(env.hookUrl("okta", OKTA_TENANT), {
      header: "authorization",
      secret: OKTA_SECRET,
    });
    const answers: number[] = [];
    const requested: number[] = [];
    const effective: number[] = [];
    await Promise.all(
      persons.map(async (p, i) => {
        await new Promise((r) => setTimeout(r, i * 20)); // leavers arrive spread over ~1 s
        const t0 = performance.now();
        const sent = await sender.send([
          oktaLogEvent({ eventType: "user.lifecycle.deactivate", userId: p.idpId }),
        ]);
        if (sent.status !== 200) throw new Error(`hook answered ${sent.status}`);
        answers.push(performance.now() - t0);
        let seenRequested = false;
        for (;;) {
          const states = await revokeStates(env.kb.core.ledger, p);
          if (!seenRequested && states.every((s) => s !== null)) {
            requested.push(performance.now() - t0);
            seenRequested = true;
          }
          if (states.every((s) => s === "effective")) break;
          await new Promise((r) => setTimeout(r, 5));
        }
        effective.push(performance.now() - t0);
      }),
    );
    console.log(`Okta Event Hook → revocation, ${N} leavers, keybridge start, memory key systems`);
    line("hook answered", answers);
    line("revocation requested (ledger)", requested);
    line("revocation effective (key system)", effective);
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

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});

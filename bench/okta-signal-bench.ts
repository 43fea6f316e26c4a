// Benchmark of the Okta System Log channel (issue #11 "Done when"): leavers disabled in the Okta org fake
// → revocation requested (first revoke in the ledger) and → revocation effective in the memory key
// system, through keybridge started by src/runtime with the real @okta/okta-sdk-nodejs polling at the
// default interval. Leavers are disabled one after another across several poll cycles, so the figures
// include where in the cycle a leaver leaves. Prints p50/p99/max; asserts nothing.
// Run: npx tsx bench/okta-signal-bench.ts [--leavers 50] [--interval 15] [--spread-ms 300]
import { parseArgs } from "node:util";
import type { LedgerEntry } from "../src/reconcile/ledger-entry";
import { redisKeys } from "../src/store/redis-keys";
import { OktaOrgFake } from "../test/fakes/okta/org-fake";
import { e2eConfig, startKeybridge } from "../test/e2e/e2e-processes";
import { EXAMPLE_TENANTS, exampleMappings } from "../test/e2e/example-flow";
import { examplePerson, type GrantedPerson, provisionGranted, SIMULATED } from "../test/e2e/okta-log-harness";
import { startTestRedis } from "../test/helpers/test-redis";

const { values: args } = parseArgs({
  options: {
    leavers: { type: "string", default: "50" },
    interval: { type: "string", default: "15" },
    "spread-ms": { type: "string", default: "300" },
  },
});
const LEAVERS = Number(args.leavers);
const INTERVAL_S = Number(args.interval);
const SPREAD_MS = Number(args["spread-ms"]);
const TENANT = "nordwerk-okta";
const TOKEN = "00-bench-ssws";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? Number.NaN;
};
/** How often the bench reads the leavers' ledgers: the resolution of its figures. */
const WATCH_MS = 100;
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface Sample {
  disabledAt: number;
  /** When keybridge applied the signal (the hold's receivedAt): the System Log poll's share. */
  appliedAt?: number;
  requestedAt?: number;
  effectiveAt?: number;
}

async function main(): Promise<void> {
  const redis = await startTestRedis();
  const org = new OktaOrgFake();
  await org.start();
  org.sswsTokens.add(TOKEN);
  const oktaLog = {
    orgUrl: org.url,
    auth: "ssws",
    tokenSecretName: "OKTA_TOKEN",
    pollIntervalSeconds: INTERVAL_S,
  };
  const tenants = EXAMPLE_TENANTS.map((t) => (t.id === TENANT ? { ...t, signals: { oktaLog } } : t));
  const kb = await startKeybridge(
    e2eConfig(
      {
        redisUrl: redis.url,
        mappingsDir: exampleMappings({ "main-iloq": "memory", "substations-cliq": "memory" }),
        tenants,
        keySystems: { "main-iloq": SIMULATED, "substations-cliq": SIMULATED },
      },
      { OKTA_TOKEN: TOKEN },
    ),
    "start",
  );
  try {
    // Provisioned all at once: each waits for its grants to be confirmed effective (reconcile.confirmAfterMs).
    const persons = await Promise.all(
      Array.from({ length: LEAVERS }, (_, n) =>
        provisionGranted(kb, TENANT, examplePerson("okta", n), 300_000),
      ),
    );
    process.stdout.write(`${LEAVERS} persons granted; disabling one every ${SPREAD_MS} ms in the Okta org\n`);
    const samples = new Map<GrantedPerson, Sample>();
    const watch = watchLedger(kb.core.ledger, persons, samples);
    for (const p of persons) {
      samples.set(p, { disabledAt: Date.now() });
      org.append({ eventType: "user.lifecycle.deactivate", userId: p.externalId });
      await sleep(SPREAD_MS);
    }
    await watch;
    for (const [p, sample] of samples) {
      const held = await kb.core.redis.hget(redisKeys.signalHold(TENANT, p.id), "suspension");
      if (held) sample.appliedAt = Date.parse((JSON.parse(held) as { receivedAt: string }).receivedAt);
    }
    report([...samples.values()]);
  } finally {
    await kb.close();
    await org.stop();
    await redis.stop();
  }
}

/** Polls every leaver's ledger until all their revocations are effective; stamps the first sightings. */
async function watchLedger(
  ledger: { read(t: string, s: string, p: string): Promise<{ entries: LedgerEntry[] }> },
  persons: GrantedPerson[],
  samples: Map<GrantedPerson, Sample>,
): Promise<void> {
  const open = new Set(persons);
  while (open.size > 0) {
    for (const p of [...open]) {
      const sample = samples.get(p);
      if (!sample) continue;
      const entries = (
        await Promise.all(Object.keys(p.person.expect).map((s) => ledger.read(TENANT, s, p.id)))
      ).flatMap((l) => l.entries);
      const revokes = entries.filter((e) => e.action === "revoke");
      const now = Date.now();
      if (revokes.length > 0) sample.requestedAt ??= now;
      const expected = Object.values(p.person.expect).flatMap((profiles) => Object.keys(profiles)).length;
      if (revokes.length === expected && revokes.every((e) => e.state === "effective")) {
        sample.effectiveAt = now;
        open.delete(p);
      }
    }
    await sleep(WATCH_MS);
  }
}

function report(samples: Sample[]): void {
  const applied = samples.map((s) => (s.appliedAt ?? Number.NaN) - s.disabledAt);
  const requested = samples.map((s) => (s.requestedAt ?? Number.NaN) - s.disabledAt);
  const effective = samples.map((s) => (s.effectiveAt ?? Number.NaN) - s.disabledAt);
  const line = (what: string, xs: number[]) =>
    `  ${what.padEnd(34)} p50 ${fmt(pct(xs, 50))}  p99 ${fmt(pct(xs, 99))}  max ${fmt(Math.max(...xs))}`;
  process.stdout.write(
    [
      `Okta System Log → revocation, ${samples.length} leavers, poll interval ${INTERVAL_S} s (ledger read every ${WATCH_MS} ms):`,
      line("disabled → signal applied (poll)", applied),
      line("disabled → revocation requested", requested),
      line("disabled → revocation effective", effective),
      "  (memory key system, 50 ms programming + 50 ms propagation; keybridge sees a pending revocation",
      "  effective at its next check, reconcile.confirmAfterMs = 10 s by default)",
      "  SCIM only, for comparison: Entra's provisioning cycle is ~40 min (once a day in quarantine).",
      "",
    ].join("\n"),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});

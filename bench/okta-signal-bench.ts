// Benchmark of the Okta System Log channel (issue #11 "Done when"): leavers disabled in the Okta org fake
// → revocation requested (first revoke in the ledger) and → revocation effective in the memory key
// system, through keybridge started by src/runtime with the real @okta/okta-sdk-nodejs polling at the
// default interval. Leavers are disabled at random moments over two poll intervals, so every poll phase
// is sampled. Prints p50/p99/max; asserts nothing. Called like bench/signals-bench.ts; `benchOktaLog` has
// the shape of its CHANNELS[].run, so the Okta System Log can join that table as one entry.
// Run: npx tsx bench/okta-signal-bench.ts [--leavers 50] [--interval 15] [--spread S]
import { parseArgs } from "node:util";
import type { LedgerEntry } from "../src/reconcile/ledger-entry";
import { redisKeys } from "../src/store/redis-keys";
import { OktaOrgFake } from "../test/fakes/okta/org-fake";
import { e2eConfig, startKeybridge } from "../test/e2e/e2e-processes";
import { EXAMPLE_TENANTS, exampleMappings } from "../test/e2e/example-flow";
import { examplePerson, type GrantedPerson, provisionGranted, SIMULATED } from "../test/e2e/okta-log-harness";
import { startTestRedis } from "../test/helpers/test-redis";

/** The default of tenants[].signals.oktaLog.pollIntervalSeconds. */
export const OKTA_LOG_DEFAULT_INTERVAL_SECONDS = 15;
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

export interface OktaBenchOptions {
  leavers: number;
  pollIntervalSeconds: number;
  /** Disables are spread at random over this many seconds (default two poll intervals). */
  spreadSeconds: number;
}

/** bench/lib/entra-signals-bench.ts's ChannelFigures, plus the poll's own share. */
export interface OktaChannelFigures {
  channel: string;
  pollIntervalSeconds: number;
  samples: Array<{ requestedMs: number; effectiveMs: number; appliedMs: number }>;
  scimOnly: Array<{ requestedMs: number; effectiveMs: number }>;
}

interface Sample {
  disabledAt: number;
  /** When keybridge applied the signal (the hold's receivedAt): the System Log poll's share. */
  appliedAt?: number;
  requestedAt?: number;
  effectiveAt?: number;
}

export async function benchOktaLog(
  o: OktaBenchOptions,
  log: (s: string) => void,
): Promise<OktaChannelFigures> {
  const redis = await startTestRedis();
  const org = new OktaOrgFake();
  await org.start();
  org.sswsTokens.add(TOKEN);
  const oktaLog = {
    orgUrl: org.url,
    auth: "ssws",
    tokenSecretName: "OKTA_TOKEN",
    pollIntervalSeconds: o.pollIntervalSeconds,
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
      Array.from({ length: o.leavers }, (_, n) =>
        provisionGranted(kb, TENANT, examplePerson("okta", n), 300_000),
      ),
    );
    log(`${o.leavers} persons granted; disabling them at random over ${o.spreadSeconds} s in the Okta org`);
    const samples = new Map<GrantedPerson, Sample>();
    const watch = watchLedger(kb.core.ledger, persons, samples);
    const start = Date.now();
    const moments = persons.map(() => Math.random() * o.spreadSeconds * 1000).sort((a, b) => a - b);
    for (const [i, p] of persons.entries()) {
      await sleep(Math.max(0, start + (moments[i] ?? 0) - Date.now()));
      samples.set(p, { disabledAt: Date.now() });
      org.append({ eventType: "user.lifecycle.deactivate", userId: p.externalId });
    }
    await watch;
    for (const [p, sample] of samples) {
      const held = await kb.core.redis.hget(redisKeys.signalHold(TENANT, p.id), "suspension");
      if (held) sample.appliedAt = Date.parse((JSON.parse(held) as { receivedAt: string }).receivedAt);
    }
    return figures(o, [...samples.values()]);
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

function figures(o: OktaBenchOptions, samples: Sample[]): OktaChannelFigures {
  const since = (s: Sample, at: number | undefined) => (at ?? Number.NaN) - s.disabledAt;
  return {
    channel: "okta-log",
    pollIntervalSeconds: o.pollIntervalSeconds,
    samples: samples.map((s) => ({
      appliedMs: since(s, s.appliedAt),
      requestedMs: since(s, s.requestedAt),
      effectiveMs: since(s, s.effectiveAt),
    })),
    // Okta's own SCIM path is as fast as its lifecycle jobs; nothing to compare with a fixed cycle.
    scimOnly: [],
  };
}

function report(f: OktaChannelFigures): string {
  const line = (what: string, xs: number[]) =>
    `  ${what.padEnd(46)} p50 ${fmt(pct(xs, 50)).padStart(8)}   p99 ${fmt(pct(xs, 99)).padStart(8)}   max ${fmt(Math.max(...xs))}`;
  return [
    `okta-log: ${f.samples.length} leavers, poll interval ${f.pollIntervalSeconds} s (ledger read every ${WATCH_MS} ms)`,
    line(
      "disable in Okta → signal applied (the poll)",
      f.samples.map((s) => s.appliedMs),
    ),
    line(
      "disable in Okta → revocation requested",
      f.samples.map((s) => s.requestedMs),
    ),
    line(
      "disable in Okta → revocation effective",
      f.samples.map((s) => s.effectiveMs),
    ),
    "  (memory key system, 50 ms programming + 50 ms propagation; keybridge sees a pending revocation",
    "  effective at its next check, reconcile.confirmAfterMs = 10 s by default)",
  ].join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      leavers: { type: "string", default: "50" },
      interval: { type: "string" },
      spread: { type: "string" },
    },
  });
  const interval = Number(values.interval ?? OKTA_LOG_DEFAULT_INTERVAL_SECONDS);
  const spread = Number(values.spread ?? 2 * interval);
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const f = await benchOktaLog(
    { leavers: Number(values.leavers), pollIntervalSeconds: interval, spreadSeconds: spread },
    log,
  );
  process.stdout.write(`${report(f)}\n`);
}

if (require.main === module)
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );

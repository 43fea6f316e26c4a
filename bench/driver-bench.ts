// Benchmark: per driver against its fake with 5 ms injected latency, the time and vendor requests to grant
// one profile to a new holder and to revoke it, as p50/p99 and as multiples of one bare round trip.
// Run: npx tsx bench/driver-bench.ts [memory|iloq|cliq ...] [--runs N]
import { performance } from "node:perf_hooks";
import type { ContractHarness, HarnessContext } from "../test/contract/contract-harness";

const LATENCY_MS = 5;
const DRIVERS = ["memory", "iloq", "cliq"] as const;
const ctx = (n: number) => ({ operationId: `bench-${n}` });

interface Sample {
  ms: number;
  requests: number;
  writes: number;
}

/** Finds the harness factory a driver's test folder exports (e.g. createMemoryHarness, cliqHarness). */
async function loadHarness(name: string): Promise<ContractHarness> {
  const mod = (await import(`../test/connectors/${name}/${name}-harness`)) as Record<string, unknown>;
  const factory = Object.entries(mod).find(([k, v]) => /harness$/i.test(k) && typeof v === "function")?.[1];
  if (typeof factory !== "function") throw new Error(`no harness factory exported for ${name}`);
  return (factory as () => ContractHarness)();
}

async function measure(c: HarnessContext, fn: () => Promise<unknown>): Promise<Sample> {
  await c.fake.clearJournal();
  const t0 = performance.now();
  await fn();
  const ms = performance.now() - t0;
  const journal = await c.fake.journal();
  return { ms, requests: journal.length, writes: journal.filter((e) => e.mutating).length };
}

/** One run on a fresh fake: warm session, then grant, revoke the profile, revoke the credential. */
async function runOnce(h: ContractHarness, n: number) {
  const c = await h.setup();
  try {
    await c.fake.injectFault({ kind: "latency", ms: LATENCY_MS });
    await c.driver.observe("bench-warm-up"); // log in outside the measured steps
    await c.fake.roundTrip(); // warm: a first connection (TLS handshake) is not a round trip
    const roundTrip = await measure(c, () => c.fake.roundTrip());
    const ref = h.grantRefs[0] as string;
    let holder = { holderId: "", externalId: `bench-${n}` };
    let credentialId = "";
    const grant = await measure(c, async () => {
      holder = (
        await c.driver.upsertHolder({ externalId: holder.externalId, displayName: "Bench Person" }, ctx(n))
      ).holder;
      credentialId = (await c.driver.issueCredential(holder, h.credentialSpec(0), ctx(n))).credentialId;
      await c.driver.setGrants(holder, [{ vendorRef: ref }], ctx(n));
    });
    await c.fake.completeProgramming(credentialId);
    const revokeGrant = await measure(c, () => c.driver.setGrants(holder, [], ctx(n)));
    await c.fake.completeProgramming(credentialId);
    const revokeCredential = await measure(c, () =>
      c.driver.revokeCredential(credentialId, "offboarding", ctx(n)),
    );
    return { roundTrip, grant, revokeGrant, revokeCredential };
  } finally {
    await h.teardown();
  }
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? Number.NaN;
};

function row(driver: string, step: string, samples: Sample[], refP50: number): string {
  const ms = samples.map((s) => s.ms);
  const p50 = quantile(ms, 0.5);
  const req = quantile(
    samples.map((s) => s.requests),
    0.5,
  );
  const writes = quantile(
    samples.map((s) => s.writes),
    0.5,
  );
  const cells = [
    driver.padEnd(8),
    step.padEnd(32),
    p50.toFixed(1).padStart(8),
    quantile(ms, 0.99).toFixed(1).padStart(8),
    (p50 / refP50).toFixed(1).padStart(11),
    String(req).padStart(9),
    String(writes).padStart(7),
  ];
  return cells.join(" | ");
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const runsAt = args.indexOf("--runs");
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 30;
  const chosen = args.filter((a, i) => !a.startsWith("--") && i !== runsAt + 1);
  const names = chosen.length > 0 ? chosen : [...DRIVERS];
  console.log(
    `driver benchmark: ${runs} runs per driver, ${LATENCY_MS} ms injected latency per vendor request`,
  );
  console.log("grant = upsertHolder + issueCredential + setGrants([one profile]) for a new holder");
  console.log("revoke profile = setGrants([]); revoke credential = revokeCredential(offboarding)");
  console.log("requests/writes: median vendor requests (all / mutating) from the fake's journal\n");
  const header = ["driver  ", "step".padEnd(32), "p50 ms".padStart(8), "p99 ms".padStart(8)];
  console.log(
    [...header, "round trips".padStart(11), "requests".padStart(9), "writes".padStart(7)].join(" | "),
  );
  for (const name of names) {
    let h: ContractHarness;
    try {
      h = await loadHarness(name);
    } catch (err) {
      console.log(
        `${name.padEnd(8)} | harness not available: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`,
      );
      continue;
    }
    const all = [];
    for (let i = 0; i < runs; i++) all.push(await runOnce(h, i));
    const refP50 = quantile(
      all.map((r) => r.roundTrip.ms),
      0.5,
    );
    console.log(
      row(
        name,
        "bare round trip (reference)",
        all.map((r) => r.roundTrip),
        refP50,
      ),
    );
    console.log(
      row(
        name,
        "grant one profile (new holder)",
        all.map((r) => r.grant),
        refP50,
      ),
    );
    console.log(
      row(
        name,
        "revoke profile",
        all.map((r) => r.revokeGrant),
        refP50,
      ),
    );
    console.log(
      row(
        name,
        "revoke credential",
        all.map((r) => r.revokeCredential),
        refP50,
      ),
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

// `npm run bench:signals`: time from a leaver's disable in a fake IdP to revocation requested and to
// revocation effective in the memory key system, per fast revocation channel at its default poll
// interval, p50/p99 over N leavers, next to the SCIM-only path. Each channel is one entry in CHANNELS
// (bench/lib/<channel>-signals-bench.ts). Usage:
//   npx tsx bench/signals-bench.ts [--leavers 50] [--channel entra] [--interval S] [--spread S]
import { parseArgs } from "node:util";
import { benchEntra, type ChannelFigures, type LeaverSample } from "./lib/entra-signals-bench";
import { benchOktaHook } from "./lib/okta-hook-signals-bench";
import { benchOktaLog, OKTA_LOG_DEFAULT_INTERVAL_SECONDS } from "./okta-signal-bench";

/** Microsoft: a non-gallery SCIM app's incremental provisioning cycle is about every 40 minutes. */
export const ENTRA_SCIM_CYCLE_MS = 40 * 60_000;

interface ChannelRun {
  /** Polling channels: the default poll interval (push channels: none). */
  defaultIntervalSeconds?: number;
  /** What the IdP's own SCIM path adds before keybridge hears of a leaver (a stated constant). */
  scimCycle?: { ms: number; source: string };
  run(
    o: { leavers: number; pollIntervalSeconds: number; spreadSeconds: number },
    log: (s: string) => void,
  ): Promise<ChannelFigures>;
}

const CHANNELS: Record<string, ChannelRun> = {
  entra: {
    defaultIntervalSeconds: 60,
    scimCycle: {
      ms: ENTRA_SCIM_CYCLE_MS,
      source: "Entra provisioning cycle ≈ 40 min (Microsoft docs; constant, not measured)",
    },
    run: benchEntra,
  },
  "okta-log": { defaultIntervalSeconds: OKTA_LOG_DEFAULT_INTERVAL_SECONDS, run: benchOktaLog },
  "okta-hook": { run: (o, log) => benchOktaHook(o, log) },
};

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const seconds = (ms: number) => (ms < 10_000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(1)} s`);

function row(label: string, samples: LeaverSample[], pick: (s: LeaverSample) => number): string {
  const v = samples.map(pick);
  return `  ${label.padEnd(46)} p50 ${seconds(percentile(v, 50)).padStart(8)}   p99 ${seconds(percentile(v, 99)).padStart(8)}`;
}

/** The SCIM-only path: a leaver waits a uniformly random part of the IdP's cycle, then the bridge's time. */
function cycleRow(scim: LeaverSample[], cycle: number): string {
  const v = scim.map((s) => s.effectiveMs);
  const p50 = 0.5 * cycle + percentile(v, 50);
  const p99 = 0.99 * cycle + percentile(v, 99);
  const label = "SCIM-only: IdP cycle wait + bridge";
  return `  ${label.padEnd(46)} p50 ${seconds(p50).padStart(8)}   p99 ${seconds(p99).padStart(8)}`;
}

function report(run: ChannelRun, f: ChannelFigures): string {
  const how = f.pollIntervalSeconds === undefined ? "pushed" : `poll interval ${f.pollIntervalSeconds} s`;
  const lines = [
    `${f.channel}: ${f.samples.length} leavers, ${how}`,
    row("disable in IdP → revocation requested", f.samples, (s) => s.requestedMs),
    row("disable in IdP → revocation effective", f.samples, (s) => s.effectiveMs),
  ];
  for (const [label, values] of Object.entries(f.extra ?? {}))
    lines.push(
      row(
        label,
        values.map((v) => ({ requestedMs: v, effectiveMs: v })),
        (s) => s.effectiveMs,
      ),
    );
  if (f.scimOnly)
    lines.push(row("SCIM deactivation → effective (bridge only)", f.scimOnly, (s) => s.effectiveMs));
  if (f.scimOnly && run.scimCycle)
    lines.push(cycleRow(f.scimOnly, run.scimCycle.ms), `  (${run.scimCycle.source})`);
  return lines.join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      leavers: { type: "string", default: "50" },
      channel: { type: "string", multiple: true },
      interval: { type: "string" },
      spread: { type: "string" },
    },
  });
  const names = values.channel ?? Object.keys(CHANNELS);
  const out: string[] = [];
  for (const name of names) {
    const run = CHANNELS[name];
    if (!run) throw new Error(`unknown channel ${name}; known: ${Object.keys(CHANNELS).join(", ")}`);
    const interval = Number(values.interval ?? run.defaultIntervalSeconds ?? 0);
    const figures = await run.run(
      {
        leavers: Number(values.leavers),
        pollIntervalSeconds: interval,
        spreadSeconds: Number(values.spread ?? 2 * interval),
      },
      (s) => process.stderr.write(`${s}\n`),
    );
    out.push(report(run, figures));
  }
  process.stdout.write(`${out.join("\n\n")}\n`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${(err as Error).stack}\n`);
    process.exit(1);
  },
);

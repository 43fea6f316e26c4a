// `npm run fuzz -- --runs N [--seed S] [--collect] [--max-requests K]`: a long fuzz session with the
// same arbitraries as the bounded test; --collect lists every distinct problem instead of stopping.
import { formatReport, runFuzz } from "./fuzz-run";
import { startFuzzTarget } from "./fuzz-target";

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(args: string[]): Promise<number> {
  const runs = Number(flag(args, "--runs") ?? 1000);
  const seed = Number(flag(args, "--seed") ?? Date.now() % 2 ** 31);
  const maxRequests = Number(flag(args, "--max-requests") ?? 3);
  const collect = args.includes("--collect");
  process.stdout.write(
    `fuzz: seed ${seed}, ${runs} runs of up to ${maxRequests} requests${collect ? ", collecting" : ""}\n`,
  );
  const target = await startFuzzTarget();
  const rssBefore = process.memoryUsage().rss;
  const started = Date.now();
  try {
    const report = await runFuzz(target, { runs, seed, maxRequests, collect });
    global.gc?.();
    const rssAfter = process.memoryUsage().rss;
    process.stdout.write(`${formatReport(report)}\n`);
    process.stdout.write(
      `fuzz: ${((Date.now() - started) / 1000).toFixed(1)} s, RSS ${(rssBefore / 2 ** 20).toFixed(0)} → ${(rssAfter / 2 ** 20).toFixed(0)} MiB\n`,
    );
    return report.failure || report.findings.size > 0 || report.endProblems.length > 0 ? 1 : 0;
  } finally {
    await target.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`fuzz: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(2);
  },
);

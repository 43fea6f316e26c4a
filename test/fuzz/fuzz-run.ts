// One fuzz session against a FuzzTarget: fast-check drives short sequences of mutated IdP requests,
// each answer is checked at once, then the leavers are offboarded and must lose the door, and the
// audit chain and the logs are checked. Shared by the bounded test and `npm run fuzz`.
import fc from "fast-check";
import { answerProblems, restorePrototypes, snapshotPrototypes } from "./fuzz-invariants";
import { buildCase, type FuzzCase, type FuzzRequest, fuzzCase, type Mutation } from "./fuzz-request";
import type { FuzzTarget } from "./fuzz-target";

export interface FuzzOptions {
  runs: number;
  seed: number;
  /** Requests per property run (a sequence shares state: a PATCH can break what a later GET reads). */
  maxRequests?: number;
  /** Collect every distinct problem instead of stopping (and shrinking) at the first. */
  collect?: boolean;
  /** How long the leavers' revocations may take once offboarded. */
  revokeTimeoutMs?: number;
  /** Stop generating (and shrinking) after this long; the report says how many runs were done. */
  timeLimitMs?: number;
}

export interface FuzzReport {
  seed: number;
  runs: number;
  requests: number;
  statuses: Record<string, number>;
  /** fast-check's own report: seed, path, shrunk counterexample (stop-at-first mode). */
  failure?: string;
  /** Distinct per-request problems with a first example each (collect mode). */
  findings: Map<string, { count: number; example: FuzzCase; detail: string }>;
  /** Invariants checked once at the end: revocations, audit chain, logs. */
  endProblems: string[];
}

/** Digits, ids and quoted text vary between examples of one problem: drop them to group findings. */
function shape(problem: string): string {
  return problem
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\d+/g, "N")
    .slice(0, 120);
}

/** A mutation in a few words: its kind and the value that matters (truncated). */
function mutationLabel(m: Mutation): string {
  const { kind, ...rest } = m;
  const text = JSON.stringify(rest, (_k, v) =>
    typeof v === "string" && v.length > 40 ? `${v.slice(0, 40)}…` : v,
  );
  return `${kind}${text.length > 120 ? `${text.slice(0, 120)}…` : text}`;
}

/** Drops mutations one at a time while the request still fails: the fewest that cause the problem. */
async function minimise(
  c: FuzzCase,
  attempt: (c: FuzzCase, count: boolean) => Promise<{ problems: string[] }>,
): Promise<FuzzCase> {
  let current = c;
  for (let i = current.mutations.length - 1; i >= 0 && current.mutations.length > 1; i--) {
    const fewer = { ...current, mutations: current.mutations.filter((_m, j) => j !== i) };
    if ((await attempt(fewer, false)).problems.length > 0) current = fewer;
  }
  return current;
}

function describe(c: FuzzCase): string {
  const req: FuzzRequest = buildCase(c);
  const short = (s: string | undefined) =>
    s && s.length > 300 ? `${s.slice(0, 300)}…(${s.length} chars)` : s;
  return JSON.stringify({ ...req, path: short(req.path), body: short(req.body), socket: short(req.socket) });
}

export async function runFuzz(target: FuzzTarget, options: FuzzOptions): Promise<FuzzReport> {
  const report: FuzzReport = {
    seed: options.seed,
    runs: options.runs,
    requests: 0,
    statuses: {},
    findings: new Map(),
    endProblems: [],
  };
  const prototypes = snapshotPrototypes();
  /** Problems of one request, counted in the report. */
  const attempt = async (c: FuzzCase, count: boolean): Promise<{ problems: string[]; text: string }> => {
    const req = buildCase(c);
    const answer = await target.send(req);
    if (count) {
      report.requests++;
      const key = String(answer.status || "none");
      report.statuses[key] = (report.statuses[key] ?? 0) + 1;
    }
    const problems = [...answerProblems(req.method, answer), ...restorePrototypes(prototypes)];
    return { problems, text: answer.text.slice(0, 300) };
  };
  const property = fc.asyncProperty(
    fc.array(fuzzCase(), { minLength: 1, maxLength: options.maxRequests ?? 3 }),
    async (cases) => {
      for (const c of cases) {
        const { problems, text } = await attempt(c, true);
        if (problems.length === 0) continue;
        const detail = `${problems.join("; ")} — answer ${text}`;
        if (!options.collect) throw new Error(`${detail}\nrequest: ${describe(c)}`);
        const minimal = await minimise(c, attempt);
        const key = `${shape(problems[0] ?? "")} ← ${minimal.mutations.map(mutationLabel).join(" + ")}`;
        const found = report.findings.get(key);
        if (found) found.count++;
        else report.findings.set(key, { count: 1, example: minimal, detail });
      }
    },
  );
  const result = await fc.check(property, {
    numRuns: options.runs,
    seed: options.seed,
    endOnFailure: !!options.collect,
    ...(options.timeLimitMs ? { interruptAfterTimeLimit: options.timeLimitMs } : {}),
  });
  report.runs = result.numRuns;
  if (result.failed && !options.collect) {
    const error =
      result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
    const cases = (result.counterexample?.[0] ?? []).map((c) => `  ${describe(c)}`).join("\n");
    report.failure = `property failed (seed ${result.seed}, path "${result.counterexamplePath}", shrunk ${result.numShrinks}×): ${error}\ncounterexample, in order:\n${cases}`;
  }
  report.endProblems.push(...(await target.offboard()));
  const open = await target.leaversStillOpen(options.revokeTimeoutMs ?? 20_000);
  if (open.length > 0)
    report.endProblems.push(`leavers still open the door after offboarding: ${open.join(", ")}`);
  report.endProblems.push(...(await target.auditProblems()), ...target.logProblems());
  return report;
}

/** The report as text: seed first (to replay: `npm run fuzz -- --seed S --runs N`). */
export function formatReport(report: FuzzReport): string {
  const lines = [
    `fuzz seed ${report.seed}: ${report.runs} runs, ${report.requests} requests, statuses ${JSON.stringify(report.statuses)}`,
  ];
  if (report.failure) lines.push(report.failure);
  for (const [problem, f] of report.findings)
    lines.push(
      `- ${problem} (×${f.count})\n    ${f.detail.slice(0, 400)}\n    request: ${describe(f.example)}`,
    );
  for (const p of report.endProblems) lines.push(`- end: ${p}`);
  return lines.join("\n");
}

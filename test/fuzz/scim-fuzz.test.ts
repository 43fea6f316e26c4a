// The bounded fuzz run of `npm test` (issue #9 item 9): a few hundred mutated IdP requests against the
// real processes on real Redis, then the leavers' revocations, the audit chain and the logs. Replay a
// failure with FUZZ_SEED=<seed printed below> or `npm run fuzz -- --seed <seed> --runs N`.
import { formatReport, runFuzz } from "./fuzz-run";
import { type FuzzTarget, startFuzzTarget } from "./fuzz-target";

const RUNS = 250;
const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;

let target: FuzzTarget;
beforeAll(async () => {
  target = await startFuzzTarget();
}, 60_000);
afterAll(async () => target?.close());

test(`mutated IdP requests: no 5xx, SCIM errors, clean prototypes, leavers revoked, audit intact (seed ${seed})`, async () => {
  const report = await runFuzz(target, { runs: RUNS, seed, revokeTimeoutMs: 15_000, timeLimitMs: 35_000 });
  const ok = !report.failure && report.endProblems.length === 0;
  expect(ok ? "ok" : formatReport(report)).toBe("ok");
}, 90_000);

// `npm run bench`: drives four SCIM services over HTTP at concurrency 16 in one run, alternating turns —
// a bare node:http reference, the stock SCIMMY + scimmy-routers peer (in memory), `keybridge serve` and
// `keybridge start` while its worker process drains a backlog of every person (re-enqueued before each
// turn) — and prints req/s, p50/p99 and ratios. Never part of the tests.
// Usage: npx tsx bench/scim-bench.ts [--users N] [--lone N] [--sides reference,peer,serve,start]
//   [--steps GET,POST,...] (only the steps whose name contains one of these; seeding always runs)
import { randomUUID } from "node:crypto";
import { loadavg } from "node:os";
import { join } from "node:path";
import { keybridgeSide, peerSide, referenceSide, type Side, TENANT } from "./lib/bench-sides";
import { type BenchRequest, type LoadResult, mergeResults, runLoad, send } from "./lib/load-runner";

const CONCURRENCY = 16;
const args = process.argv.slice(2);
const option = (name: string, fallback: number) =>
  args.includes(name) ? Number(args[args.indexOf(name) + 1]) || fallback : fallback;
const USERS = option("--users", 5_000);
/** Sequential lone requests (concurrency 1) for the p50 of one request with nothing else in flight. */
const LONE = option("--lone", 100);
const base = `/scim/v2/${TENANT}`;
/**
 * The services to run (default all four). At 100,000 users the peer's per-request conversions make a
 * full run impractical: `--sides reference,serve` compares serve with the reference alone.
 */
const SIDES = (
  args.includes("--sides") ? String(args[args.indexOf("--sides") + 1]) : "reference,peer,serve,start"
)
  .split(",")
  .filter(Boolean);
const STEPS = args.includes("--steps") ? String(args[args.indexOf("--steps") + 1]).split(",") : undefined;

function user(i: number, prefix = "u") {
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName: `${prefix}${i}@bench.example`,
    externalId: `${prefix}-ext-${i}`,
    active: true,
    name: { givenName: `Given${i}`, familyName: `Family${i}` },
    emails: [{ type: "work", value: `${prefix}${i}@bench.example`, primary: true }],
  };
}

/** POSTs users `from`…`from + count - 1`; their ids are read back afterwards by collectIds. */
function seed(side: Side, from: number, count: number, prefix: string): Promise<LoadResult> {
  return runLoad(side.target, count, CONCURRENCY, (i) => ({
    method: "POST",
    path: `${base}/Users`,
    body: user(from + i, prefix),
  }));
}

/** Ids of the users whose userName starts with `prefix`, in creation order (the service's paging order). */
async function collectIds(side: Side, prefix: string, into: string[]): Promise<void> {
  for (let start = 1; ; start += 1000) {
    const page = JSON.parse(
      (
        await send(side.target, {
          method: "GET",
          path: `${base}/Users?startIndex=${start}&count=1000&attributes=userName`,
        })
      ).body,
    );
    for (const r of page.Resources ?? []) if (String(r.userName).startsWith(prefix)) into.push(r.id);
    if (start + 1000 > page.totalResults) break;
  }
}

async function addMembers(side: Side, ids: string[]): Promise<void> {
  // 500 per request: larger changes enqueue their persons after answering (directory-change-hook.ts),
  // which would still be running while the next step is measured.
  for (let i = 0; i < ids.length; i += 500) {
    const value = ids.slice(i, i + 500).map((value) => ({ value }));
    const res = await send(side.target, {
      method: "PATCH",
      path: `${base}/Groups/${side.groupId}`,
      body: {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "add", path: "members", value }],
      },
    });
    if (res.status >= 300) throw new Error(`member seed failed: ${res.status} ${res.body.slice(0, 200)}`);
  }
}

const rand = (n: number) => Math.floor(Math.random() * n);
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

interface Step {
  name: string;
  /** Turns the step's requests are split into, alternating the sides (drift cancels). */
  rounds: number;
  run: (side: Side, round: number) => Promise<LoadResult>;
  after?: (side: Side) => Promise<void>;
}

/**
 * The request types in order. Counts are small enough for the peer: SCIMMY converts every stored user
 * for a list (paging, filter) and rewrites the whole group on a member PATCH (spec A3), so its slow
 * steps get few requests — rates stay comparable, run time stays minutes.
 */
function steps(): Step[] {
  const ROUNDS = 2;
  const load =
    (count: number, make: (side: Side, i: number) => BenchRequest) => (side: Side, round: number) =>
      runLoad(side.target, count / ROUNDS, CONCURRENCY, (i) => make(side, round * (count / ROUNDS) + i));
  const posts = (count: number, prefix: string, into: (side: Side) => string[]): Step => ({
    name: prefix === "u" ? "seed users (POST)" : "POST /Users",
    rounds: ROUNDS,
    run: (side, round) => seed(side, round * (count / ROUNDS), count / ROUNDS, prefix),
    after: (side) => collectIds(side, prefix, into(side)),
  });
  const list: Step[] = [
    posts(USERS, "u", (side) => side.ids),
    {
      name: "GET /Users/{id}",
      rounds: ROUNDS,
      run: load(6_000, (side) => ({
        method: "GET",
        path: `${base}/Users/${side.ids[rand(side.ids.length)]}`,
      })),
    },
    {
      name: "filter userName eq",
      rounds: ROUNDS,
      run: load(4_000, () => ({
        method: "GET",
        path: `${base}/Users?filter=${encodeURIComponent(`userName eq "U${rand(USERS)}@bench.example"`)}`,
      })),
    },
    posts(2_000, "x", (side) => side.extraIds),
    {
      name: "PATCH active=false",
      rounds: ROUNDS,
      run: load(2_000, (side, i) => ({
        method: "PATCH",
        path: `${base}/Users/${side.ids[i % side.ids.length]}`,
        body: { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active: false } }] },
      })),
    },
  ];
  let previous = 0;
  for (const [n, size] of [...new Set([Math.min(1_000, USERS), USERS])].entries()) {
    const from = previous;
    previous = size;
    list.push({
      name: `member add @${size / 1000}k`,
      rounds: 1,
      run: async (side) => {
        if (!side.groupId) side.groupId = await createGroup(side);
        await addMembers(side, side.ids.slice(from, size));
        const batch = side.extraIds.slice(n * 20, (n + 1) * 20);
        return runLoad(side.target, batch.length, CONCURRENCY, (i) => ({
          method: "PATCH",
          path: `${base}/Groups/${side.groupId}`,
          body: {
            schemas: [PATCH_OP],
            Operations: [{ op: "add", path: "members", value: [{ value: batch[i] }] }],
          },
        }));
      },
    });
  }
  const page = (name: string, startIndex: (side: Side) => number): Step => ({
    name,
    rounds: ROUNDS,
    run: load(10, (side) => ({
      method: "GET",
      path: `${base}/Users?startIndex=${startIndex(side)}&count=100`,
    })),
  });
  list.push(
    page("page first (count=100)", () => 1),
    page("page last (count=100)", (side) => side.ids.length + side.extraIds.length - 99),
  );
  return list;
}

async function createGroup(side: Side, displayName = "bench-group"): Promise<string> {
  const g = await send(side.target, {
    method: "POST",
    path: `${base}/Groups`,
    body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName },
  });
  const id = JSON.parse(g.body).id;
  if (g.status !== 201 || !id)
    throw new Error(`${side.name}: group create failed: ${g.status} ${g.body.slice(0, 200)}`);
  return id;
}

/** One request at a time: a member add to a fresh group, the request an IdP's leaver flow waits on. */
async function loneRequests(side: Side): Promise<LoadResult> {
  const groupId = await createGroup(side, "bench-lone");
  return runLoad(side.target, Math.min(LONE, side.extraIds.length), 1, (i) => ({
    method: "PATCH",
    path: `${base}/Groups/${groupId}`,
    body: {
      schemas: [PATCH_OP],
      Operations: [{ op: "add", path: "members", value: [{ value: side.extraIds[i] }] }],
    },
  }));
}

const fmt = (n: number | undefined, digits = 1) =>
  n !== undefined && Number.isFinite(n) ? n.toFixed(digits) : "-";
const ratio = (a?: LoadResult, b?: LoadResult) => (a && b ? `${fmt(a.rps / b.rps, 2)}×` : "-");

/** Each step alternates the sides turn by turn, so ratios compare figures taken under the same load. */
async function measure(sides: Side[]) {
  const results = new Map<string, Map<string, LoadResult>>(sides.map((s) => [s.name, new Map()]));
  const loads: number[] = [];
  const backlogs: string[] = [];
  const all = [...steps(), { name: "lone member add (concurrency 1)", rounds: 1, run: loneRequests }].filter(
    (step, i) => i === 0 || !STEPS || STEPS.some((s) => step.name.includes(s)),
  );
  for (const step of all) {
    process.stderr.write(`${step.name}…\n`);
    const turns = new Map<string, LoadResult[]>(sides.map((s) => [s.name, []]));
    for (let round = 0; round < step.rounds; round++)
      for (const side of sides) {
        await side.beforeTurn?.();
        turns.get(side.name)?.push(await step.run(side, round));
        if (side.backlog) backlogs.push(`${step.name}: ${await side.backlog()}`);
      }
    for (const side of sides) {
      await step.after?.(side);
      results.get(side.name)?.set(step.name, mergeResults(turns.get(side.name) ?? []));
    }
    // Progress on stderr: a long run cut short still leaves its finished steps.
    const rates = sides.map((s) => `${s.name} ${fmt(results.get(s.name)?.get(step.name)?.rps, 0)}/s`);
    process.stderr.write(`  ${rates.join(", ")}\n`);
    loads.push(loadavg()[0] ?? 0);
  }
  return { results, loads, backlogs };
}

async function main() {
  const started = Date.now();
  const token = randomUUID().replaceAll("-", "");
  const mappings = join(__dirname, "fixtures", "mappings");
  const sides: Side[] = [];
  try {
    const ref = "reference";
    const peer = "SCIMMY peer";
    const serve = "keybridge serve";
    const start = "keybridge start";
    if (SIDES.includes("reference")) sides.push(await referenceSide(token));
    if (SIDES.includes("peer")) sides.push(await peerSide(token));
    if (SIDES.includes("serve")) sides.push(await keybridgeSide("serve", mappings));
    if (SIDES.includes("start")) sides.push(await keybridgeSide("start", mappings));
    const { results, loads, backlogs } = await measure(sides);
    const r = (side: string, step: string) => results.get(side)?.get(step);
    const rows = [...(results.get(sides[0]?.name ?? serve)?.keys() ?? [])].map((step) => {
      const [a, b, c, d] = [r(ref, step), r(peer, step), r(serve, step), r(start, step)];
      return `| ${step} | ${fmt(a?.rps, 0)} | ${fmt(b?.rps, 0)} | ${fmt(c?.rps, 0)} | ${fmt(d?.rps, 0)} | ${ratio(c, b)} | ${ratio(d, b)} | ${ratio(d, c)} | ${ratio(c, a)} | ${fmt(c?.p50, 2)} / ${fmt(d?.p50, 2)} | ${fmt(b?.p50, 2)} |`;
    });
    process.stdout.write(
      [
        `keybridge SCIM benchmark — ${USERS} users, concurrency ${CONCURRENCY}, ${new Date().toISOString()}, ${Math.round((Date.now() - started) / 1000)} s`,
        "",
        "| request | reference req/s | SCIMMY peer | serve | start (draining) | serve ÷ peer | start ÷ peer | start ÷ serve | serve ÷ reference | p50 ms serve / start | p50 ms peer |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        ...rows,
        "",
        `RSS at the end: ${sides.map((s) => `${s.name} ${fmt(s.rssMb(), 0)} MB`).join(", ")}`,
        `start's backlog left after each turn (persons waiting or running): ${backlogs.join("; ")}`,
        `1-minute load average after each step: ${loads.map((l) => l.toFixed(1)).join(", ")}`,
        "",
      ].join("\n"),
    );
    for (const [side, map] of results)
      for (const [name, res] of map)
        if (res.errors)
          process.stderr.write(`${side} ${name}: ${res.errors} errors, first: ${res.firstError}\n`);
  } finally {
    for (const side of sides) await side.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err?.stack ?? err}\n`);
    process.exit(1);
  },
);

// `npm run bench:cluster`: aggregate SCIM throughput of TWO `keybridge serve` API processes
// (KEYBRIDGE_API_PROCESSES=2, one port) on a private 3-master Redis Cluster, beside ONE `keybridge serve`
// on one redis-server measured in the same run, turns alternating, concurrency 16. Never part of the tests.
// Usage: npx tsx bench/cluster-bench.ts [--users N]
import { loadavg } from "node:os";
import { join } from "node:path";
import { keybridgeSide, type Side, TENANT } from "./lib/bench-sides";
import { type LoadResult, mergeResults, runLoad, send } from "./lib/load-runner";

const CONCURRENCY = 16;
const args = process.argv.slice(2);
const USERS = args.includes("--users") ? Number(args[args.indexOf("--users") + 1]) || 2_000 : 2_000;
const base = `/scim/v2/${TENANT}`;
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const rand = (n: number) => Math.floor(Math.random() * n);
const user = (i: number, prefix: string) => ({
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
  userName: `${prefix}${i}@bench.example`,
  active: true,
  name: { givenName: `Given${i}`, familyName: `Family${i}` },
});

async function post(side: Side, from: number, count: number, prefix: string): Promise<LoadResult> {
  const result = await runLoad(side.target, count, CONCURRENCY, (i) => ({
    method: "POST",
    path: `${base}/Users`,
    body: user(from + i, prefix),
  }));
  return result;
}

/** Ids by userName filter (cheap on both sides), so the measured steps address real users. */
async function idOf(side: Side, userName: string): Promise<string> {
  const res = await send(side.target, {
    method: "GET",
    path: `${base}/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}&attributes=id`,
  });
  return JSON.parse(res.body).Resources[0].id;
}

interface Step {
  name: string;
  run(side: Side, round: number): Promise<LoadResult>;
}

const ROUNDS = 2;
const per = (n: number) => n / ROUNDS;

function steps(groupIds: Map<string, string>): Step[] {
  return [
    { name: "POST /Users", run: (side, round) => post(side, USERS + round * per(1_000), per(1_000), "x") },
    {
      name: "GET /Users/{id}",
      run: (side) =>
        runLoad(side.target, per(6_000), CONCURRENCY, () => ({
          method: "GET",
          path: `${base}/Users/${side.ids[rand(side.ids.length)]}`,
        })),
    },
    {
      name: "filter userName eq",
      run: (side) =>
        runLoad(side.target, per(4_000), CONCURRENCY, () => ({
          method: "GET",
          path: `${base}/Users?filter=${encodeURIComponent(`userName eq "u${rand(USERS)}@bench.example"`)}`,
        })),
    },
    {
      name: "PATCH active=false",
      run: (side, round) =>
        runLoad(side.target, per(2_000), CONCURRENCY, (i) => ({
          method: "PATCH",
          path: `${base}/Users/${side.ids[(round * per(2_000) + i) % side.ids.length]}`,
          body: { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active: false } }] },
        })),
    },
    {
      name: "member add",
      run: (side, round) =>
        runLoad(side.target, per(1_000), CONCURRENCY, (i) => ({
          method: "PATCH",
          path: `${base}/Groups/${groupIds.get(side.name)}`,
          body: {
            schemas: [PATCH_OP],
            Operations: [
              {
                op: "add",
                path: "members",
                value: [{ value: side.ids[(round * per(1_000) + i) % side.ids.length] }],
              },
            ],
          },
        })),
    },
  ];
}

async function prepare(side: Side, groupIds: Map<string, string>): Promise<void> {
  const seeded = await post(side, 0, USERS, "u");
  if (seeded.errors > 0) throw new Error(`${side.name}: seeding failed: ${seeded.firstError}`);
  for (let i = 0; i < USERS; i += 200)
    side.ids.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(200, USERS - i) }, (_, k) => idOf(side, `u${i + k}@bench.example`)),
      )),
    );
  const g = await send(side.target, {
    method: "POST",
    path: `${base}/Groups`,
    body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "bench-group" },
  });
  groupIds.set(side.name, JSON.parse(g.body).id);
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : "-");

async function main(): Promise<void> {
  const mappings = join(__dirname, "fixtures", "mappings");
  const sides: Side[] = [];
  try {
    sides.push(await keybridgeSide("serve", mappings, { name: "1× serve, one Redis" }));
    sides.push(
      await keybridgeSide("serve", mappings, {
        cluster: true,
        apiProcesses: 2,
        name: "2× serve, 3-master cluster",
      }),
    );
    const groupIds = new Map<string, string>();
    for (const side of sides) await prepare(side, groupIds);
    const rows: string[] = [];
    const loads: number[] = [];
    for (const step of steps(groupIds)) {
      const turns = new Map<string, LoadResult[]>(sides.map((s) => [s.name, []]));
      for (let round = 0; round < ROUNDS; round++)
        for (const side of sides) turns.get(side.name)?.push(await step.run(side, round));
      const [single, cluster] = sides.map((s) => mergeResults(turns.get(s.name) ?? []));
      if (!single || !cluster) continue;
      const errors = single.errors + cluster.errors;
      rows.push(
        `| ${step.name} | ${fmt(single.rps)}/s | ${fmt(cluster.rps)}/s | ${fmt(cluster.rps / single.rps, 2)}× | ${fmt(single.p50, 1)} / ${fmt(cluster.p50, 1)} ms |${errors ? ` ${errors} errors` : ""}`,
      );
      process.stderr.write(`${rows.at(-1)}\n`);
      loads.push(loadavg()[0] ?? 0);
    }
    console.log(
      `\n${USERS} users, concurrency ${CONCURRENCY}; load average during the run: ${loads.map((l) => l.toFixed(1)).join(", ")}\n`,
    );
    console.log(
      "| request | 1× serve, one Redis (reference) | 2× serve, 3-master cluster | ratio | p50 single / cluster |",
    );
    console.log("|---|---|---|---|---|");
    for (const row of rows) console.log(row);
  } finally {
    for (const side of sides) await side.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});

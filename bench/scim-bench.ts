// `npm run bench:scim`: drives a running keybridge SCIM service over HTTP at concurrency 16 and, in the
// same run, a bare node:http reference answering the same requests from memory; prints req/s, p50/p99 and
// the ratio to the reference. Never part of the tests. Usage: npx tsx bench/scim-bench.ts [--users N]
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { startTestRedis } from "../test/helpers/test-redis";
import { freePort } from "../test/helpers/test-redis";
import {
  type BenchRequest,
  type LoadResult,
  mergeResults,
  runLoad,
  send,
  type Target,
} from "./lib/load-runner";

const CONCURRENCY = 16;
const args = process.argv.slice(2);
const USERS = Number(args[args.indexOf("--users") + 1] || 100_000) || 100_000;
const TENANT = "bench";
const base = `/scim/v2/${TENANT}`;

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

function waitForLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    child.stdout?.once("data", (d: Buffer) => resolve(d.toString().trim()));
    child.once("exit", (code) => reject(new Error(`exited ${code}`)));
  });
}

async function waitHttp(target: Target, path: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      const res = await send(target, { method: "GET", path });
      if (res.status < 500) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`service did not answer ${path}`);
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmRSS:"));
  return Number(line?.replace(/\D+/g, "") ?? 0) / 1024;
}

interface Side {
  target: Target;
  ids: string[];
  extraIds: string[];
  groupId?: string;
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

interface Step {
  name: string;
  /** Turns the step's requests are split into, alternating reference and keybridge (drift cancels). */
  rounds: number;
  run: (side: Side, round: number) => Promise<LoadResult>;
  after?: (side: Side) => Promise<void>;
}

/** The request types in order. */
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
      run: load(20_000, (side) => ({
        method: "GET",
        path: `${base}/Users/${side.ids[rand(side.ids.length)]}`,
      })),
    },
    {
      name: "filter userName eq",
      rounds: ROUNDS,
      run: load(20_000, () => ({
        method: "GET",
        path: `${base}/Users?filter=${encodeURIComponent(`userName eq "U${rand(USERS)}@bench.example"`)}`,
      })),
    },
    posts(6_000, "x", (side) => side.extraIds),
    {
      name: "PATCH active=false",
      rounds: ROUNDS,
      run: load(5_000, (side, i) => ({
        method: "PATCH",
        path: `${base}/Users/${side.ids[i % side.ids.length]}`,
        body: {
          schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
          Operations: [{ op: "replace", value: { active: false } }],
        },
      })),
    },
  ];
  let previous = 0;
  for (const [n, size] of [1_000, 10_000, USERS].entries()) {
    const from = previous;
    previous = size;
    list.push({
      name: `member add @${size / 1000}k`,
      rounds: 1,
      run: async (side) => {
        if (!side.groupId) side.groupId = await createGroup(side);
        await addMembers(side, side.ids.slice(from, size));
        const batch = side.extraIds.slice(n * 1_000, (n + 1) * 1_000);
        return runLoad(side.target, batch.length, CONCURRENCY, (i) => ({
          method: "PATCH",
          path: `${base}/Groups/${side.groupId}`,
          body: {
            schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            Operations: [{ op: "add", path: "members", value: [{ value: batch[i] }] }],
          },
        }));
      },
    });
  }
  list.push(
    {
      name: "page first (count=100)",
      rounds: ROUNDS,
      run: load(1_000, () => ({ method: "GET", path: `${base}/Users?startIndex=1&count=100` })),
    },
    {
      name: "page last (count=100)",
      rounds: ROUNDS,
      run: load(1_000, (side) => ({
        method: "GET",
        path: `${base}/Users?startIndex=${side.ids.length + side.extraIds.length - 99}&count=100`,
      })),
    },
  );
  return list;
}

async function createGroup(side: Side): Promise<string> {
  const g = await send(side.target, {
    method: "POST",
    path: `${base}/Groups`,
    body: { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "bench-group" },
  });
  return JSON.parse(g.body).id;
}

function fmt(n: number, digits = 1) {
  return Number.isFinite(n) ? n.toFixed(digits) : "-";
}

async function main() {
  const redis = await startTestRedis();
  const port = await freePort();
  const configPath = join(tmpdir(), `kb-bench-${process.pid}.yaml`);
  writeFileSync(
    configPath,
    `tenants:\n  - { id: ${TENANT}, displayName: Bench, kind: generic, rateLimit: { requestsPerSecond: 1000000, burst: 1000000 } }\nmappingsDir: ${join(__dirname, "fixtures", "mappings")}\n`,
  );
  const env = {
    ...process.env,
    REDIS_URL: redis.url,
    PORT: String(port),
    KEYBRIDGE_CONFIG: configPath,
    LOG_LEVEL: "warn",
  };
  const token = execFileSync("node", ["bin/keybridge.js", "tokens", "create", "--tenant", TENANT], {
    env,
    encoding: "utf8",
  })
    .split(/\s+/)
    .find((w) => /^[A-Za-z0-9_-]{32,}$/.test(w));
  if (!token) throw new Error("could not read the token printed by `keybridge tokens create`");
  // KB_BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the service under load.
  const nodeArgs = (process.env.KB_BENCH_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
  const service = spawn("node", [...nodeArgs, "bin/keybridge.js", "serve"], {
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  // node itself (not `npx tsx`, whose wrapper would survive the SIGTERM below and leak the server).
  const reference = spawn("node", ["--require", "tsx/cjs", join(__dirname, "lib", "reference-server.ts")], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const refPort = Number(await waitForLine(reference));
  const headers = { authorization: `Bearer ${token}`, accept: "application/scim+json" };
  const svc: Side = { target: { port, headers }, ids: [], extraIds: [] };
  const ref: Side = { target: { port: refPort, headers }, ids: [], extraIds: [] };
  try {
    await waitHttp(svc.target, `${base}/ServiceProviderConfig`);
    // Each step alternates reference and keybridge turns, so a ratio compares measurements taken under
    // the same machine load (on this shared box both rates drift by ±20% within minutes).
    const refResults = new Map<string, LoadResult>();
    const svcResults = new Map<string, LoadResult>();
    const loads: number[] = [];
    for (const step of steps()) {
      process.stderr.write(`${step.name}…\n`);
      const turns: { ref: LoadResult[]; svc: LoadResult[] } = { ref: [], svc: [] };
      for (let round = 0; round < step.rounds; round++) {
        turns.ref.push(await step.run(ref, round));
        turns.svc.push(await step.run(svc, round));
      }
      await step.after?.(ref);
      await step.after?.(svc);
      refResults.set(step.name, mergeResults(turns.ref));
      svcResults.set(step.name, mergeResults(turns.svc));
      loads.push(loadavg()[0] ?? 0);
    }
    const rss = rssMb(service.pid ?? 0);
    const rows = [...svcResults.entries()].map(([name, r]) => {
      const b = refResults.get(name);
      return `| ${name} | ${fmt(r.rps, 0)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${b ? fmt(b.rps, 0) : "-"} | ${b ? `${fmt((100 * r.rps) / b.rps, 0)}%` : "-"} | ${r.errors} |`;
    });
    const p50 = (n: string) => svcResults.get(n)?.p50 ?? Number.NaN;
    const sizeLabel = `member add @${USERS / 1000}k`;
    process.stdout.write(
      [
        `keybridge SCIM benchmark — ${USERS} users, concurrency ${CONCURRENCY}, ${new Date().toISOString()}`,
        "",
        "| request | keybridge req/s | p50 ms | p99 ms | reference req/s | keybridge / reference | errors |",
        "|---|---|---|---|---|---|---|",
        ...rows,
        "",
        `member add p50 at ${USERS / 1000}k ÷ at 1k: ${fmt(p50(sizeLabel) / p50("member add @1k"), 2)}×`,
        `last page p50 ÷ first page p50: ${fmt(p50("page last (count=100)") / p50("page first (count=100)"), 2)}×`,
        `service RSS after ${USERS} users and a ${USERS}-member group: ${fmt(rss, 0)} MB`,
        `1-minute load average after each step: ${loads.map((l) => l.toFixed(1)).join(", ")}`,
        "",
      ].join("\n"),
    );
    for (const [name, r] of svcResults)
      if (r.errors) process.stderr.write(`${name}: ${r.errors} errors, first: ${r.firstError}\n`);
  } finally {
    service.kill("SIGTERM");
    reference.kill("SIGTERM");
    await redis.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err?.stack ?? err}\n`);
    process.exit(1);
  },
);

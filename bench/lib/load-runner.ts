// A small closed-loop HTTP load generator: N requests at concurrency C over keep-alive connections,
// reporting req/s and latency percentiles. Used by the benchmarks, never by the tests.
import { Agent, request } from "node:http";

export interface BenchRequest {
  method: string;
  path: string;
  body?: unknown;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  firstError?: string;
  /** Every request's latency in ms, sorted. */
  latencies: number[];
}

export interface Target {
  port: number;
  headers: Record<string, string>;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

export function send(target: Target, req: BenchRequest): Promise<{ status: number; body: string }> {
  const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
  return new Promise((resolve, reject) => {
    const r = request(
      {
        host: "127.0.0.1",
        port: target.port,
        method: req.method,
        path: req.path,
        agent,
        headers: {
          ...target.headers,
          ...(payload
            ? { "content-type": "application/scim+json", "content-length": Buffer.byteLength(payload) }
            : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    r.on("error", reject);
    if (payload) r.write(payload);
    r.end();
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] ?? Number.NaN;
}

/** Runs `count` requests produced by `make(i)` with `concurrency` in flight. */
export async function runLoad(
  target: Target,
  count: number,
  concurrency: number,
  make: (i: number) => BenchRequest,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      try {
        const res = await send(target, make(i));
        if (res.status >= 400) {
          errors++;
          firstError ??= `${res.status} ${res.body.slice(0, 200)}`;
        }
      } catch (err) {
        errors++;
        firstError ??= String(err);
      }
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  return {
    requests: count,
    seconds,
    rps: count / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
    firstError,
    latencies,
  };
}

/** One result from several turns of the same request type: total requests over total time. */
export function mergeResults(turns: LoadResult[]): LoadResult {
  const latencies = turns.flatMap((t) => t.latencies).sort((a, b) => a - b);
  const requests = turns.reduce((n, t) => n + t.requests, 0);
  const seconds = turns.reduce((n, t) => n + t.seconds, 0);
  return {
    requests,
    seconds,
    rps: requests / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors: turns.reduce((n, t) => n + t.errors, 0),
    firstError: turns.find((t) => t.firstError)?.firstError,
    latencies,
  };
}

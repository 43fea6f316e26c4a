// `keybridge start` as separate OS processes: the SCIM API answers from the process the user started,
// the reconcile workers run in a child process it supervises — a SIGKILLed worker process comes back
// and finishes the revocation requested while it was dead — and KEYBRIDGE_API_PROCESSES=2 runs two API
// processes that both answer on the one port. Processes are told apart by the pid in their JSON logs.
import { mkdtempSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { memoryDriverFactory } from "../../connectors/memory/memory-driver-factory";
import { holderExternalId } from "../../src/access/holder-spec";
import { systemClock } from "../../src/drivers/key-system-driver";
import { silentLogger } from "../../src/log/logger";
import { SUPERVISOR_LOG } from "../../src/runtime/supervise-child";
import { freePort, startTestRedis, type TestRedis } from "../helpers/test-redis";
import { keybridge, type Proc, until } from "./cli-spawn";

const ROOT = join(__dirname, "../..");
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

type LogLine = Record<string, unknown> & { msg?: string; pid?: number };

function logLines(proc: Proc): LogLine[] {
  return proc
    .output()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as LogLine);
}

/** Pids of the children the supervisor started under `name`, in order. */
function childPids(proc: Proc, name: string): number[] {
  return logLines(proc)
    .filter((l) => l.msg === SUPERVISOR_LOG.started && l.child === name)
    .map((l) => Number(l.childPid));
}

/** GET over a fresh connection each time, so the cluster hands each request to a process anew. */
function getOnce(port: number, path: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port, path, agent: false, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("keybridge start as separate processes", () => {
  let redis: TestRedis;
  let proc: Proc | undefined;

  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterEach(async () => {
    if (proc && proc.child.exitCode === null) {
      proc.child.kill("SIGTERM");
      await proc.exited;
    }
  });
  afterAll(async () => {
    await redis.stop();
  });

  async function start(env: Record<string, string> = {}) {
    const dir = mkdtempSync(join(tmpdir(), "kb-split-e2e-"));
    const memory = { programmingDelayMs: 100, propagationDelayMs: 100, redisUrl: redis.url };
    const configFile = join(dir, "keybridge.json");
    writeFileSync(
      configFile,
      JSON.stringify({
        host: "127.0.0.1",
        logLevel: "info",
        mappingsDir: join(ROOT, "mappings"),
        tenants: [{ id: "demo", displayName: "Demo", kind: "entra" }],
        keySystems: { demo: { options: memory } },
        reconcile: { backoffMs: 50, confirmAfterMs: 200, lockDurationMs: 2000, stalledIntervalMs: 500 },
      }),
    );
    await redis.client().flushall();
    const port = await freePort();
    proc = keybridge("start", {
      KEYBRIDGE_CONFIG: configFile,
      REDIS_URL: redis.url,
      PORT: String(port),
      ...env,
    });
    const started = proc;
    // Up to three processes start at once and each compiles the TypeScript sources (tsx) on a cold
    // cache: on a loaded 2-core CI machine that alone has taken over 20 s.
    const token = await until(
      "the token banner",
      () => /Bearer token:\s+(\S+)/.exec(started.output())?.[1],
      60_000,
    );
    return { proc: started, port, token, memory };
  }

  it("runs the workers in a child process that comes back after SIGKILL and finishes a revocation", async () => {
    const { proc, port, token, memory } = await start();
    const base = `http://127.0.0.1:${port}/scim/v2/demo`;
    const scim = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
    };
    const simulated = memoryDriverFactory.create("demo", memory, {
      logger: silentLogger(),
      clock: systemClock,
      secrets: {},
    });
    try {
      const user = await scim("POST", "/Users", {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
        userName: "ada@example.org",
        active: true,
      });
      const id = String(user.body.id);
      const group = await scim("POST", "/Groups", {
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
        displayName: "Door Access Demo",
      });
      await scim("PATCH", `/Groups/${group.body.id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: "Add", path: "members", value: [{ value: id }] }],
      });
      const held = async () =>
        (await simulated.observe(holderExternalId("demo", "demo", id))).credentials.flatMap((c) =>
          c.programmedGrants.map((g) => g.vendorRef),
        );
      await until("the door granted", async () => ((await held()).length === 1 ? true : undefined), 40_000);

      // The API answers from the process the user started; the workers log from another one.
      const lines = logLines(proc);
      const apiPids = lines.filter((l) => l.msg === "scim request").map((l) => l.pid);
      const workerPid = childPids(proc, "workers")[0];
      expect(new Set(apiPids)).toEqual(new Set([proc.child.pid]));
      expect(workerPid).not.toBe(proc.child.pid);
      expect(lines.some((l) => l.msg === "reconcile worker started" && l.pid === workerPid)).toBe(true);

      process.kill(Number(workerPid), "SIGKILL");
      const off = await scim("PATCH", `/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: "Replace", path: "active", value: "False" }],
      });
      expect(off.status).toBe(200); // the API does not need the workers to answer
      await until("the door revoked", async () => ((await held()).length === 0 ? true : undefined), 60_000);
      const restarted = childPids(proc, "workers");
      expect(restarted).toHaveLength(2);
      expect(restarted[1]).not.toBe(workerPid);

      proc.child.kill("SIGTERM");
      expect(await proc.exited).toBe(0);
      // Stopping `start` stops its worker process too.
      expect(() => process.kill(Number(restarted[1]), 0)).toThrow();
    } finally {
      await simulated.close();
    }
  }, 150_000);

  it("KEYBRIDGE_API_PROCESSES=2 runs two API processes that both answer on one port", async () => {
    const { proc, port, token } = await start({ KEYBRIDGE_API_PROCESSES: "2" });
    const apis = await until("two API processes", () => {
      const pids = [1, 2].map((n) => childPids(proc, `api-${n}`)[0]);
      return pids.every((p) => p !== undefined) ? pids : undefined;
    });
    const listening = () =>
      logLines(proc).filter((l) => l.msg === "SCIM endpoint listening").length === 2 ? true : undefined;
    await until("both API processes listening", listening, 60_000);
    for (let i = 0; i < 20; i++)
      expect(await getOnce(port, "/scim/v2/demo/ServiceProviderConfig", token)).toBe(200);
    const answered = await until("request logs of both processes", () => {
      const pids = new Set(
        logLines(proc)
          .filter((l) => l.msg === "scim request")
          .map((l) => l.pid),
      );
      return pids.size === 2 ? pids : undefined;
    });
    expect(answered).toEqual(new Set(apis));
    expect(answered.has(proc.child.pid)).toBe(false);
    proc.child.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
  }, 150_000);
});

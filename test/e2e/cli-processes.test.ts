// keybridge as a user runs it: `keybridge start` (the API, its workers in a child process), and
// `keybridge serve` + `keybridge worker` as separate OS processes against one Redis, each through bin/keybridge.js → runProcesses with the config file named
// by KEYBRIDGE_CONFIG. The IdP uses the token the first start prints; Entra's requests grant the demo
// door and its "False" deactivation revokes it, confirmed by the simulated key system's own (Redis)
// state; SIGTERM then shuts every process down cleanly (exit code 0).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { memoryDriverFactory } from "../../connectors/memory/memory-driver-factory";
import { holderExternalId } from "../../src/access/holder-spec";
import { systemClock } from "../../src/drivers/key-system-driver";
import { silentLogger } from "../../src/log/logger";
import { GrantLedger } from "../../src/reconcile/grant-ledger";
import { freePort, startTestRedis, type TestRedis } from "../helpers/test-redis";
import { keybridge, type Proc, until } from "./cli-spawn";

const ROOT = join(__dirname, "../..");
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

describe.each(["start", "serve+worker"])("keybridge %s as OS processes", (layout) => {
  let redis: TestRedis;
  let procs: Proc[] = [];

  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    for (const p of procs) if (p.child.exitCode === null) p.child.kill("SIGKILL");
    await redis.stop();
  });

  it("grants and revokes the demo door from Entra's requests, then shuts down on SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kb-cli-e2e-"));
    const memory = { programmingDelayMs: 300, propagationDelayMs: 300, redisUrl: redis.url };
    const configFile = join(dir, "keybridge.json");
    writeFileSync(
      configFile,
      JSON.stringify({
        host: "127.0.0.1",
        logLevel: "warn",
        mappingsDir: join(ROOT, "mappings"),
        tenants: [{ id: "demo", displayName: "Demo", kind: "entra" }],
        keySystems: { demo: { options: memory } },
        reconcile: { backoffMs: 50, confirmAfterMs: 200 },
      }),
    );
    const port = await freePort();
    const env = { KEYBRIDGE_CONFIG: configFile, REDIS_URL: redis.url, PORT: String(port) };
    procs =
      layout === "start" ? [keybridge("start", env)] : [keybridge("worker", env), keybridge("serve", env)];
    const api = procs.at(-1) as Proc;
    const token = await until(
      "the first start's token banner",
      () => /Bearer token:\s+(\S+)/.exec(api.output())?.[1],
    );
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

    const user = await scim("POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "ada@example.org",
      active: true,
    });
    expect(user.status).toBe(201);
    const id = String(user.body.id);
    const group = await scim("POST", "/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "Door Access Demo",
    });
    const add = await scim("PATCH", `/Groups/${group.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "Add", path: "members", value: [{ $ref: null, value: id }] }],
    });
    expect(add.status).toBe(204);

    const client = redis.client();
    const ledger = new GrantLedger(client);
    const door = async (action: string) => {
      const entry = (await ledger.read("demo", "demo", id)).entries.find((e) => e.profile === "demo-door");
      return entry?.action === action && entry.state === "effective" ? entry : undefined;
    };
    // The simulated key system's own state, shared through Redis with the worker process.
    const simulated = memoryDriverFactory.create("demo", memory, {
      logger: silentLogger(),
      clock: systemClock,
      secrets: {},
    });
    const held = async () =>
      (await simulated.observe(holderExternalId("demo", "demo", id))).credentials
        .flatMap((c) => c.programmedGrants.map((g) => g.vendorRef))
        .sort();
    try {
      await until("the grant to be effective", () => door("grant"));
      expect(await held()).toEqual(["demo-door-1"]);

      const off = await scim("PATCH", `/Users/${id}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: "Replace", path: "active", value: "False" }],
      });
      expect(off.status).toBe(200);
      await until("the revocation to be effective", () => door("revoke"));
      expect(await held()).toEqual([]);
    } finally {
      await simulated.close();
      client.disconnect();
    }

    for (const p of procs) p.child.kill("SIGTERM");
    const codes = await Promise.all(procs.map((p) => p.exited));
    expect({
      codes,
      output: codes.every((c) => c === 0) ? "" : procs.map((p) => p.output()).join("\n"),
    }).toEqual({
      codes: procs.map(() => 0),
      output: "",
    });
  }, 90_000); // `start` forks its worker process: on a loaded 2-core machine its start-up alone takes seconds
});

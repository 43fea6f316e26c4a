// `keybridge access revoke|lift` run in-process against a real Redis: the CLI front end of the same
// operations the admin API calls. The suspension makes the pipeline's view of the person desire nothing
// in the named key system, the job goes in at revocation priority, and both steps are audited.
import type { RedisClient } from "../../src/store/create-redis-client";
import { readAuditRecords } from "../../src/audit/export-audit";
import { runAccessRevoke } from "../../src/cli/access-revoke";
import type { OperatorCliDeps } from "../../src/cli/operator-session";
import { configSchema } from "../../src/config/config-schema";
import { suspendingDirectory } from "../../src/reconcile/suspending-directory";
import { RedisDirectoryStore } from "../../src/store/directory-store";
import { CORE_USER_URN } from "../../src/store/directory-types";
import { redisKeys } from "../../src/store/redis-keys";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { MAPPINGS_DIR } from "../integration/pipeline-harness";

const TENANT = "acme";
let server: TestRedis;
let redis: RedisClient;
let personId: string;

async function run(action: "revoke" | "lift", ...argv: string[]) {
  let out = "";
  let err = "";
  const config = Object.freeze(
    configSchema.parse({
      redisUrl: server.url,
      mappingsDir: MAPPINGS_DIR,
      tenants: [{ id: TENANT, displayName: "Acme", kind: "generic" }],
    }),
  );
  const deps: OperatorCliDeps = {
    loadConfig: () => config,
    io: { out: (t) => (out += t), err: (t) => (err += t) },
    actor: (explicit) => `operator:${explicit ?? "tester@host"}`,
  };
  const code = await runAccessRevoke(action, argv, deps);
  return { code, out, err };
}

beforeAll(async () => {
  server = await startTestRedis();
  redis = server.client();
  const store = new RedisDirectoryStore({ redis });
  const created = await store.createUser(
    TENANT,
    { schemas: [CORE_USER_URN], userName: "jo", active: true },
    { correlationId: "setup" },
  );
  personId = created.resource.id;
});
afterAll(async () => server.stop());

test("revoke suspends the person in one key system, enqueues at revocation priority, is audited; lift undoes it", async () => {
  expect((await run("revoke", "--tenant", TENANT, "--user", "jo", "--system", "lockhall")).code).toBe(2);
  const revoked = await run(
    "revoke",
    "--tenant",
    TENANT,
    "--user",
    "jo",
    "--system",
    "lockhall",
    "--reason",
    "key lost",
  );
  expect(revoked).toMatchObject({ code: 0, err: "" });
  expect(revoked.out).toContain("lockhall: enqueued at 1");
  expect(revoked.out).not.toContain("yard");
  const priority = await redis.zrange(`kb:${redisKeys.reconcileQueue("lockhall")}:prioritized`, "0", "-1");
  expect(priority.length).toBe(1);

  const directory = suspendingDirectory(new RedisDirectoryStore({ redis }), redis);
  expect((await directory.getPerson(TENANT, personId))?.suspendedIn).toEqual(["lockhall"]);

  const lifted = await run("lift", "--tenant", TENANT, "--user", "jo", "--reason", "key found");
  expect(lifted).toMatchObject({ code: 0 });
  expect((await directory.getPerson(TENANT, personId))?.suspendedIn).toBeUndefined();
  expect((await run("lift", "--tenant", TENANT, "--user", "jo", "--reason", "again")).code).toBe(1);

  const records = (await readAuditRecords(redis, {})).filter((r) => r.type.startsWith("operator."));
  expect(records.map((r) => [r.type, r.actor, r.reason, r.data])).toEqual([
    ["operator.emergency_revoked", "operator:tester@host", "key lost", { systems: ["lockhall"] }],
    ["operator.suspension_lifted", "operator:tester@host", "key found", { systems: ["lockhall"] }],
  ]);
});

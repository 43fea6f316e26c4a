// The operator's levers, run in-process as `keybridge access reconcile`, `attention list|clear` and
// `work-items list|done` against a real Redis: each acts, and each is audited with actor and reason.
import type { RedisClient } from "../../src/store/create-redis-client";
import type { AuditRecord } from "../../src/audit/audit-record";
import { readAuditRecords } from "../../src/audit/export-audit";
import { runAccessReconcile } from "../../src/cli/access-reconcile";
import { runAttention } from "../../src/cli/attention-command";
import type { OperatorCliDeps } from "../../src/cli/operator-session";
import { runWorkItems } from "../../src/cli/work-items-command";
import { configSchema } from "../../src/config/config-schema";
import { GrantLedger } from "../../src/reconcile/grant-ledger";
import { emptyPersonLedger } from "../../src/reconcile/ledger-entry";
import { JOB_NAMES, reconcileDedupeId } from "../../src/reconcile/reconcile-job";
import { createReconcileQueues } from "../../src/reconcile/reconcile-queues";
import { RedisDirectoryStore } from "../../src/store/directory-store";
import { CORE_USER_URN } from "../../src/store/directory-types";
import { redisKeys } from "../../src/store/redis-keys";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { MAPPINGS_DIR } from "../integration/pipeline-harness";

const TENANT = "acme";
let server: TestRedis;
let redis: RedisClient;
let ledger: GrantLedger;
let personId: string;

async function run(
  command: (argv: string[], deps: OperatorCliDeps) => Promise<number>,
  ...argv: string[]
): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const config = Object.freeze(
    configSchema.parse({
      redisUrl: server.url,
      mappingsDir: MAPPINGS_DIR,
      tenants: [{ id: TENANT, displayName: "Acme", kind: "generic" }],
    }),
  );
  const code = await command(argv, {
    loadConfig: () => config,
    io: { out: (t) => (out += t), err: (t) => (err += t) },
    actor: (explicit) => `operator:${explicit ?? "tester@host"}`,
  });
  return { code, out, err };
}

async function operatorRecords(): Promise<AuditRecord[]> {
  return (await readAuditRecords(redis, {})).filter((r) => r.type.startsWith("operator."));
}

async function waitingJobs(system: string): Promise<Array<{ priority: number; personId: string }>> {
  const key = (s: string) => `kb:${redisKeys.reconcileQueue(system)}:${s}`;
  const ids = [
    ...(await redis.zrange(key("prioritized"), "0", "-1")),
    ...(await redis.lrange(key("wait"), 0, -1)),
  ];
  const jobs = [];
  for (const id of ids) {
    const [priority, data] = await redis.hmget(key(id), "priority", "data");
    jobs.push({
      priority: Number(priority),
      personId: (JSON.parse(data ?? "{}") as { personId: string }).personId,
    });
  }
  return jobs;
}

beforeAll(async () => {
  server = await startTestRedis();
  redis = server.client();
  ledger = new GrantLedger(redis);
});
afterAll(async () => {
  await server.stop();
});
beforeEach(async () => {
  await server.flush();
  const store = new RedisDirectoryStore({ redis });
  const created = await store.createUser(
    TENANT,
    { schemas: [CORE_USER_URN], userName: "jo", active: true },
    { correlationId: "setup" },
  );
  personId = created.resource.id;
});

test("access reconcile enqueues now, at revocation priority where held access is no longer desired", async () => {
  // jo holds `office` in lockhall, but is in no group any more: the plan would take it away.
  const held = emptyPersonLedger();
  const at = "2026-12-01T00:00:00.000Z";
  held.entries.push({
    profile: "office",
    action: "grant",
    state: "effective",
    vendorRefs: ["profile-1"],
    reasons: ["staff-office"],
    requestedAt: at,
    updatedAt: at,
  });
  await ledger.write(TENANT, "lockhall", personId, held);

  const result = await run(
    runAccessReconcile,
    "--tenant",
    TENANT,
    "--user",
    "jo",
    "--reason",
    "INC-42 door still opens",
  );
  expect(result).toMatchObject({ code: 0, err: "" });
  expect(result.out).toContain("lockhall: enqueued at priority 1 (revocation)");
  expect(result.out).toContain("yard: enqueued at priority 5");
  expect(await waitingJobs("lockhall")).toEqual([{ priority: 1, personId }]);

  const [record] = await operatorRecords();
  expect(record).toMatchObject({
    type: "operator.reconcile_requested",
    tenant: TENANT,
    actor: "operator:tester@host",
    subject: { kind: "person", id: personId },
    reason: "INC-42 door still opens",
    data: { systems: { lockhall: 1, yard: 5 } },
  });
});

test("an operator action without a reason is refused before it touches anything", async () => {
  const reconcile = await run(runAccessReconcile, "--tenant", TENANT, "--user", "jo");
  expect(reconcile.code).toBe(2);
  expect(reconcile.err).toContain("--reason");
  const clear = await run(runAttention, "clear", "--tenant", TENANT, "--user", "jo", "--reason", "  ");
  expect(clear.code).toBe(2);
  expect(await waitingJobs("lockhall")).toEqual([]);
  expect(await operatorRecords()).toEqual([]);
});

test("attention list shows the flag with its error message; clear removes it and is audited", async () => {
  const error = {
    code: "DRIVER_INVALID_REQUEST",
    kind: "permanent",
    message: "phone keys need a phone number",
    at: "2026-12-01T00:00:00.000Z",
  };
  await ledger.flagAttention(TENANT, {
    system: "lockhall",
    personId,
    kind: "permanent",
    error,
    at: error.at,
    correlationId: "c1",
  });

  const list = await run(runAttention, "list", "--tenant", TENANT);
  expect(list.out).toBe(
    `${personId}  lockhall  permanent since ${error.at} DRIVER_INVALID_REQUEST: phone keys need a phone number\n`,
  );

  const clear = await run(
    runAttention,
    "clear",
    "--tenant",
    TENANT,
    "--user",
    "jo",
    "--system",
    "lockhall",
    "--reason",
    "number added in HR",
    "--actor",
    "alice",
  );
  expect(clear.code).toBe(0);
  expect(await ledger.listAttention(TENANT)).toEqual([]);
  expect(await operatorRecords()).toEqual([
    expect.objectContaining({
      type: "operator.attention_cleared",
      actor: "operator:alice",
      reason: "number added in HR",
      subject: { kind: "person", id: personId },
      data: expect.objectContaining({
        system: "lockhall",
        kind: "permanent",
        code: "DRIVER_INVALID_REQUEST",
      }),
    }),
  ]);
  expect(
    (await run(runAttention, "clear", "--tenant", TENANT, "--user", "jo", "--reason", "again")).code,
  ).toBe(1);
});

test("work-items done closes the item and its manual-action flag, reconciles the person, and is audited", async () => {
  const at = "2026-12-01T00:00:00.000Z";
  await ledger.addWorkItem({
    id: "w-1",
    tenant: TENANT,
    system: "lockhall",
    personId,
    task: { kind: "other", reason: "DRIVER_MANUAL" },
    createdAt: at,
    correlationId: "c2",
  });
  await ledger.flagAttention(TENANT, { system: "lockhall", personId, kind: "manual_action", at });

  const list = await run(runWorkItems, "list");
  expect(list.out).toContain(`w-1  ${TENANT}  lockhall  person ${personId}  other (DRIVER_MANUAL)`);

  const done = await run(runWorkItems, "done", "w-1", "--reason", "key handed in at reception");
  expect(done.code).toBe(0);
  expect(await ledger.listWorkItems(TENANT)).toEqual([]);
  expect(await ledger.listAttention(TENANT)).toEqual([]);
  expect(await waitingJobs("lockhall")).toEqual([{ priority: 5, personId }]);
  expect(await operatorRecords()).toEqual([
    expect.objectContaining({
      type: "operator.manual_action_done",
      actor: "operator:tester@host",
      reason: "key handed in at reception",
      data: { workItemId: "w-1", system: "lockhall", task: "other", attentionCleared: true },
    }),
  ]);
  expect((await run(runWorkItems, "done", "w-1", "--reason", "twice")).code).toBe(1);
});

test("access reconcile runs a job waiting out a retry backoff now instead of after the backoff", async () => {
  const queues = createReconcileQueues({ connection: redis, systems: ["lockhall"], attempts: 3 });
  try {
    const data = { tenant: TENANT, personId, trigger: "updated" as const, correlationId: "c0" };
    const waiting = await queues.queue("lockhall").add(JOB_NAMES.reconcile, data, {
      delay: 10 * 60_000,
      priority: 5,
      deduplication: { id: reconcileDedupeId(TENANT, personId), keepLastIfActive: true },
    });
    expect(await waiting.getState()).toBe("delayed");

    expect((await run(runAccessReconcile, "--tenant", TENANT, "--user", "jo", "--reason", "now")).code).toBe(
      0,
    );
    expect(await (await queues.queue("lockhall").getJob(waiting.id!))?.getState()).not.toBe("delayed");
  } finally {
    await queues.close();
  }
});

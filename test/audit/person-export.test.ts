// `audit export --person` finds the group membership change that granted the person access: the hook
// records a group change's affected persons under data.persons, and the export matches on them.
import type { Redis } from "ioredis";
import { AuditTrail } from "../../src/audit/audit-trail";
import { readAuditRecords } from "../../src/audit/export-audit";
import { silentLogger } from "../../src/log/logger";
import {
  createDirectoryChangeHook,
  type DirectoryChangeHookDeps,
} from "../../src/reconcile/directory-change-hook";
import type { ReconcileQueues } from "../../src/reconcile/reconcile-queues";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";

let server: TestRedis;
let redis: Redis;

beforeAll(async () => {
  server = await startTestRedis();
  redis = server.client();
});
afterAll(() => server.stop());

test("a person's export includes the group membership change that named them", async () => {
  const hook = createDirectoryChangeHook({
    // No key system: this test is about the audit record the real hook writes, not the enqueue.
    queues: { systems: () => [] } as unknown as ReconcileQueues,
    audit: new AuditTrail({ redis }),
    logger: silentLogger(),
  } as unknown as DirectoryChangeHookDeps);
  await hook({
    tenant: "acme",
    correlationId: "req-7",
    resourceType: "Group",
    resourceId: "g-staff",
    operation: "patch",
    persons: [
      { personId: "p7", kind: "membership", generation: 2 },
      { personId: "p8", kind: "membership", generation: 5 },
    ],
    at: "2026-12-01T00:00:00.000Z",
  });

  const records = await readAuditRecords(redis, { person: "p7" });
  expect(records).toEqual([
    expect.objectContaining({ type: "scim.membership.changed", subject: { kind: "group", id: "g-staff" } }),
  ]);
  expect(await readAuditRecords(redis, { person: "p9" })).toEqual([]);
});

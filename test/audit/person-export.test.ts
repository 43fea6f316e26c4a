// `audit export --person` finds the group membership change that granted the person access: the store
// commits a group change's audit record with its affected persons under data.persons (audit outbox),
// and the export matches on them.
import type { RedisClient } from "../../src/store/create-redis-client";
import { AuditOutbox } from "../../src/audit/audit-outbox";
import { AuditTrail } from "../../src/audit/audit-trail";
import { readAuditRecords } from "../../src/audit/export-audit";
import { silentLogger } from "../../src/log/logger";
import { RedisDirectoryStore } from "../../src/store/directory-store";
import { CORE_GROUP_URN, CORE_USER_URN } from "../../src/store/directory-types";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";

let server: TestRedis;
let redis: RedisClient;

beforeAll(async () => {
  server = await startTestRedis();
  redis = server.client();
});
afterAll(() => server.stop());

test("a person's export includes the group membership change that named them", async () => {
  const store = new RedisDirectoryStore({ redis });
  const ctx = { correlationId: "req-7" };
  const user = (name: string) =>
    store.createUser("acme", { schemas: [CORE_USER_URN], userName: name, active: true }, ctx);
  const p7 = (await user("p7")).resource.id;
  const p8 = (await user("p8")).resource.id;
  const p9 = (await user("p9")).resource.id;
  const group = await store.createGroup("acme", { schemas: [CORE_GROUP_URN], displayName: "Staff" }, [], ctx);
  await store.changeMembers("acme", group.resource.id, { add: [p7, p8] }, ctx);
  const audit = new AuditTrail({ redis });
  await new AuditOutbox({ redis, audit, logger: silentLogger() }).move("acme");

  const records = await readAuditRecords(redis, { person: p7 });
  expect(records.map((r) => [r.type, r.subject])).toEqual([
    ["scim.user.created", { kind: "person", id: p7 }],
    ["scim.membership.changed", { kind: "group", id: group.resource.id }],
  ]);
  expect((await readAuditRecords(redis, { person: p9 })).map((r) => r.type)).toEqual(["scim.user.created"]);
});

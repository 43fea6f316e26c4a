// A change that touches more persons than the hook enqueues inline (a big group created, renamed or
// deleted) is audited before the hook returns and its persons are enqueued behind it: every member is
// still granted, and revoked, exactly as for a small change.
import { readAuditRecords } from "../../src/audit/export-audit";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { type Harness, heldRefs, startHarness, TENANT, waitFor } from "./pipeline-harness";

let redis: TestRedis;
let h: Harness;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await h?.close();
  await redis.stop();
});

const MEMBERS = 40;

it("grants and revokes every member of a group beyond the inline limit", async () => {
  h = await startHarness(redis, { inlinePersons: 10 });
  const members: string[] = [];
  for (let i = 0; i < MEMBERS; i++) members.push(await h.createUser(`member-${i}`));
  const held = async () => {
    let n = 0;
    for (const id of members) if ((await heldRefs(h, "lockhall", id)).length > 0) n++;
    return n;
  };

  const staff = await h.createGroup("Staff", members);
  const ofType = async (type: string) =>
    (await readAuditRecords(h.redis, { tenant: TENANT }))
      .filter((r) => r.type === type)
      .map((r) => r.subject.id);
  expect(await ofType("scim.group.created")).toEqual([staff]); // audited before the hook returned
  await waitFor(async () => (await held()) === MEMBERS, 20_000, "every member granted");

  await h.commit({ type: "Group", id: staff, operation: "delete" }, (c) =>
    h.store.deleteGroup(TENANT, staff, c),
  );
  expect(await ofType("scim.group.deleted")).toEqual([staff]);
  await waitFor(async () => (await held()) === 0, 20_000, "every member revoked");
});

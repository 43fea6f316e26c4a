// admin.fourEyes through the admin API: an operator's emergency revoke waits; the same operator cannot
// approve it; a second one can, and the suspension and the audit name both. Every operator write is an
// operator.* audit record with the caller as actor and the reason given.
import { readAuditRecords } from "../../src/audit/export-audit";
import { OperatorSuspensions } from "../../src/operations/operator-suspensions";
import { type AdminHarness, startAdminHarness } from "./admin-harness";

let h: AdminHarness;
let personId: string;
beforeAll(async () => {
  h = await startAdminHarness({ admin: { fourEyes: true } });
  const res = await fetch(`${h.base}/scim/v2/demo/Users`, {
    method: "POST",
    headers: { authorization: `Bearer ${h.scimToken}`, "content-type": "application/scim+json" },
    body: JSON.stringify({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "ada@example.org",
    }),
  });
  personId = ((await res.json()) as { id: string }).id;
});
afterAll(async () => h?.close());

const path = () => `/admin/v1/tenants/demo/persons/${personId}`;
type Answer = { status: number; body: Record<string, unknown> };

test("an emergency revoke waits for a second operator", async () => {
  const asked = (await h.call("POST", `${path()}/emergency-revoke`, h.tokens.operator, {
    reason: "badge stolen",
  })) as Answer;
  expect(asked.status).toBe(202);
  expect(asked.body.status).toBe("awaiting_approval");
  const id = (asked.body.request as { id: string }).id;
  const suspensions = new OperatorSuspensions(h.kb.core.redis);
  expect(await suspensions.get("demo", personId)).toEqual({});

  const self = (await h.call(
    "POST",
    `/admin/v1/tenants/demo/emergency-revokes/${id}/approve`,
    h.tokens.operator,
    { reason: "ok" },
  )) as Answer;
  expect(self.status).toBe(400);
  expect(await suspensions.get("demo", personId)).toEqual({});

  const listed = (await h.call("GET", "/admin/v1/tenants/demo/emergency-revokes", h.tokens.viewer)) as Answer;
  expect(listed.body.pending).toEqual([expect.objectContaining({ id, actor: "operator:operator-person" })]);

  const approved = (await h.call(
    "POST",
    `/admin/v1/tenants/demo/emergency-revokes/${id}/approve`,
    h.tokens.admin,
    { reason: "confirmed by phone" },
  )) as Answer;
  expect(approved.status).toBe(202);
  expect(await suspensions.get("demo", personId)).toEqual({
    "*": expect.objectContaining({ actor: "operator:operator-person", approvedBy: "operator:admin-person" }),
  });
  const again = await h.call(
    "POST",
    `/admin/v1/tenants/demo/emergency-revokes/${id}/approve`,
    h.tokens.admin,
    { reason: "twice" },
  );
  expect(again.status).toBe(404);
});

test("operator writes are audited with actor and reason", async () => {
  expect(
    (await h.call("POST", `${path()}/reconcile`, h.tokens.operator, { reason: "ticket 17" })).status,
  ).toBe(202);
  expect(
    (await h.call("POST", `${path()}/lift-suspension`, h.tokens.operator, { reason: "badge found" })).status,
  ).toBe(200);
  expect((await h.call("GET", `/admin/v1/audit/export?person=${personId}`, h.tokens.viewer)).status).toBe(
    200,
  );
  const records = await readAuditRecords(h.kb.core.redis, { person: personId });
  const operatorRecords = records
    .filter((r) => r.type.startsWith("operator."))
    .map((r) => ({ type: r.type, actor: r.actor, reason: r.reason }));
  expect(operatorRecords).toEqual([
    {
      type: "operator.emergency_revoke_requested",
      actor: "operator:operator-person",
      reason: "badge stolen",
    },
    {
      type: "operator.emergency_revoked",
      actor: "operator:operator-person",
      reason: "badge stolen (approved: confirmed by phone)",
    },
    { type: "operator.reconcile_requested", actor: "operator:operator-person", reason: "ticket 17" },
    { type: "operator.suspension_lifted", actor: "operator:operator-person", reason: "badge found" },
    { type: "operator.audit_exported", actor: "operator:viewer-person", reason: undefined },
  ]);
});

// An upcoming employeeLeaveDateTime in Entra schedules a revocation at that instant: `access status`
// shows it, the person keeps access until then, and at the instant the key system loses the grant.
import { PassThrough } from "node:stream";
import { runAccessStatus } from "../../../src/cli/access-status";
import { ENTRA_LEAVE_LINE } from "../../../src/signals/entra/entra-leave-status";
import {
  type EntraHarness,
  programmedRefs,
  provisionStaff,
  signalAudits,
  startEntraHarness,
  TENANT,
  waitFor,
} from "./entra-harness";

let h: EntraHarness;

beforeAll(async () => {
  h = await startEntraHarness();
});
afterAll(() => h.close());

async function accessStatus(personId: string): Promise<string> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  stdout.on("data", (d) => {
    out += String(d);
  });
  const code = await runAccessStatus(["--tenant", TENANT, "--user", personId], {
    loadConfig: () => h.kb.config,
    stdout,
    stderr,
  });
  expect(code).toBe(0);
  return out;
}

test("the upcoming-leavers query runs as an advanced query when the channel starts", async () => {
  await waitFor(
    async () => h.fake.requests.find((r) => r.path === "/v1.0/users" && r.status === 200),
    "leavers query",
  );
  const query = h.fake.requests.find((r) => r.path === "/v1.0/users")?.query ?? "";
  expect(query).not.toContain("+");
  expect(new URLSearchParams(query).get("$filter")).toMatch(
    /employeeLeaveDateTime ge .+ and employeeLeaveDateTime le /,
  );
});

test("a leave date set in Entra is shown by access status and revokes at that instant", async () => {
  const entraId = "00000000-0000-4000-a000-000000000001";
  const personId = await provisionStaff(h, entraId);
  await waitFor(async () => (await programmedRefs(h, personId)).includes("profile-1"), "office granted");
  const leaveAt = new Date(Date.now() + 8000);
  leaveAt.setMilliseconds(0);
  h.fake.directory.updateUser(entraId, {
    employeeLeaveDateTime: leaveAt.toISOString().replace(".000Z", "Z"),
  });
  const shown = await waitFor(async () => {
    const text = await accessStatus(personId);
    return text.includes(`${ENTRA_LEAVE_LINE} ${leaveAt.toISOString()}`) && text;
  }, "access status shows the scheduled revocation");
  expect(shown).toBeTruthy();
  expect(await programmedRefs(h, personId)).toEqual(["profile-1"]);
  await waitFor(
    async () => (await programmedRefs(h, personId)).length === 0,
    "office revoked at the leave date",
  );
  const applied = (await signalAudits(h, "signal.applied")).find((r) => r.subject.id === personId);
  expect(applied?.data).toMatchObject({ kind: "disabled", occurredAt: leaveAt.toISOString() });
  expect(Date.parse(applied?.time ?? "")).toBeGreaterThanOrEqual(leaveAt.getTime());
  expect(await accessStatus(personId)).not.toContain(ENTRA_LEAVE_LINE);
});

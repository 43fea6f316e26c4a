// Contract scenarios for weekly schedules (issue #10 item 4): a driver that declares schedules writes a
// grant's schedule as the vendor's own time restriction, reports it back unchanged in meaning, treats the
// same schedule again as a no-op, and removes it when the grant loses its schedule.
import { scheduleKey } from "../../src/drivers/weekly-schedule";
import type { GrantSpec, WeeklySchedule } from "../../src/drivers/key-system-driver";
import type { ContractHarness, HarnessContext } from "./contract-harness";
import { holderSpec, mutatingRequests, op } from "./contract-steps";

const keysOf = (grants: GrantSpec[], ref: string) =>
  grants.filter((g) => g.vendorRef === ref).map((g) => scheduleKey(g.schedule));

export function describeScheduleScenarios(h: ContractHarness, ctx: () => HarnessContext): void {
  const [A] = h.grantRefs as [string];
  const zone = h.expect.scheduleTimeZone;
  if (zone === undefined) return;
  const hours: WeeklySchedule = {
    timeZone: zone,
    windows: [
      { days: ["mon", "tue", "wed", "thu", "fri"], startMinute: 7 * 60, endMinute: 18 * 60 + 30 },
      { days: ["sat"], startMinute: 8 * 60, endMinute: 12 * 60 },
    ],
  };

  it("schedules: declared, written, observed back, a no-op when unchanged, removed when dropped", async () => {
    const { driver } = ctx();
    expect(driver.describe().schedules).toBe(true);
    const { holder } = await driver.upsertHolder(holderSpec("ext-schedule"), op());
    const { credentialId } = await driver.issueCredential(holder, h.credentialSpec(0), op());
    await driver.setGrants(holder, [{ vendorRef: A, schedule: hours }], op());
    const state = await driver.getCredentialState(credentialId);
    expect(keysOf(state?.plannedGrants ?? [], A)).toEqual([scheduleKey(hours)]);
    const seen = await driver.observe("ext-schedule");
    expect(seen.credentials.flatMap((c) => keysOf(c.plannedGrants, A))).toEqual([scheduleKey(hours)]);
    await ctx().fake.clearJournal();
    await driver.setGrants(holder, [{ vendorRef: A, schedule: hours }], op());
    expect(await mutatingRequests(ctx())).toBe(0);
    await driver.setGrants(holder, [{ vendorRef: A }], op());
    const after = await driver.getCredentialState(credentialId);
    expect(keysOf(after?.plannedGrants ?? [], A)).toEqual([""]);
  });
}

// A profile's weekly schedule reaches the CLIQ key as a CWM schedule template (key-systems.md §1.2:
// authorisation = programmed access AND valid AND inside schedule), is observed back on every grant, and a
// second reconcile of the same desired grants writes nothing. The fake's own decision at the cylinder
// confirms it: inside staffed hours the key opens, outside it does not.
import type { GrantSpec, WeeklySchedule } from "../../../src/drivers/key-system-driver";
import { isDriverError } from "../../../src/drivers/driver-error";
import type { HarnessContext } from "../../contract/contract-harness";
import { keyUsed } from "../../fakes/cliq/cliq-fake-physical";
import type { CliqFake } from "../../fakes/cliq/cliq-fake-server";
import { cliqHarness } from "./cliq-harness";

const STAFFED: WeeklySchedule = {
  timeZone: "Europe/Berlin",
  windows: [
    { days: ["mon", "tue", "wed", "thu", "fri"], startMinute: 5 * 60 + 45, endMinute: 22 * 60 + 15 },
    { days: ["sat", "sun"], startMinute: 6 * 60 + 45, endMinute: 19 * 60 + 15 },
  ],
};
const OFFICE_HOURS: WeeklySchedule = {
  timeZone: "Europe/Berlin",
  windows: [{ days: ["mon", "tue", "wed", "thu", "fri"], startMinute: 8 * 60, endMinute: 17 * 60 }],
};
const op = { operationId: "op-schedule" };

let fake: CliqFake;
const harness = cliqHarness({}, (f) => {
  fake = f;
});
let h: HarnessContext;
beforeEach(async () => {
  h = await harness.setup();
});
afterEach(() => harness.teardown());

async function holderWithKey(externalId = "ext-1") {
  const { holder } = await h.driver.upsertHolder({ externalId, displayName: "Ada Lovelace" }, op);
  const issued = await h.driver.issueCredential(holder, { kind: "physical" }, op);
  return { holder, keyId: issued.credentialId };
}

const grants = (schedule?: WeeklySchedule, refs = ["ap-office"]): GrantSpec[] =>
  refs.map((vendorRef) => ({ vendorRef, ...(schedule ? { schedule } : {}) }));

async function mutating() {
  return (await h.fake.journal()).filter((e) => e.mutating).map((e) => `${e.method} ${e.path}`);
}

/** The next instant after now (within a week) at this Berlin weekday and local hour. */
function nextBerlin(weekday: string, hour: number, minute = 0): string {
  const fmt = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Europe/Berlin",
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  });
  const start = Math.ceil(fake.clock.now().getTime() / 900_000) * 900_000 + 900_000;
  for (let t = start; t < start + 7 * 86_400_000; t += 900_000) {
    const parts = Object.fromEntries(fmt.formatToParts(new Date(t)).map((p) => [p.type, p.value]));
    if (parts.weekday === weekday && Number(parts.hour) === hour && Number(parts.minute) === minute)
      return new Date(t).toISOString();
  }
  throw new Error("no such instant");
}

test("the schedule is written as the key's CWM template and enforced at the cylinder", async () => {
  const { holder, keyId } = await holderWithKey();
  await h.driver.setGrants(holder, grants(STAFFED), op);
  const key = fake.state.key(keyId);
  const template = fake.state.schedules.get(key.scheduleId ?? "");
  expect(template?.timeZone).toBe("Europe/Berlin");
  expect(template?.intervals).toHaveLength(7);
  expect(template?.intervals).toContainEqual({ weekday: 1, start: "05:45", end: "22:15" });
  expect(template?.intervals).toContainEqual({ weekday: 7, start: "06:45", end: "19:15" });
  await h.fake.completeProgramming(keyId);
  expect(keyUsed(fake.state, keyId, "cyl-1", nextBerlin("Wed", 5, 30)).granted).toBe(false);
  expect(keyUsed(fake.state, keyId, "cyl-1", nextBerlin("Wed", 5, 45)).granted).toBe(true);
  expect(keyUsed(fake.state, keyId, "cyl-1", nextBerlin("Wed", 22, 15)).granted).toBe(false);
  expect(keyUsed(fake.state, keyId, "cyl-1", nextBerlin("Sun", 19, 0)).granted).toBe(true);
  expect(keyUsed(fake.state, keyId, "cyl-1", nextBerlin("Sun", 20, 0)).granted).toBe(false);
});

test("observe reports the schedule on each grant, planned and programmed, as the mappings wrote it", async () => {
  const { holder, keyId } = await holderWithKey();
  await h.driver.setGrants(holder, grants(STAFFED, ["ap-office", "ap-lab"]), op);
  await h.fake.completeProgramming(keyId);
  const seen = await h.driver.observe("ext-1");
  const state = seen.credentials.find((c) => c.credentialId === keyId);
  expect(state?.plannedGrants.map((g) => g.schedule)).toEqual([STAFFED, STAFFED]);
  expect(state?.programmedGrants.map((g) => g.schedule)).toEqual([STAFFED, STAFFED]);
});

test("converged: the same desired grants again send no mutating request", async () => {
  const { holder } = await holderWithKey();
  await h.driver.setGrants(holder, grants(STAFFED), op);
  await h.fake.clearJournal();
  const again = await h.driver.setGrants(holder, grants(STAFFED), op);
  expect(await mutating()).toEqual([]);
  expect(again.effect).toBe("pending_programming");
});

test("a second holder with the same schedule reuses the template (found by name, never duplicated)", async () => {
  const a = await holderWithKey("ext-a");
  const b = await holderWithKey("ext-b");
  await h.driver.setGrants(a.holder, grants(STAFFED), op);
  await h.driver.setGrants(b.holder, grants(STAFFED), op);
  expect(fake.state.key(a.keyId).scheduleId).toBe(fake.state.key(b.keyId).scheduleId);
  expect([...fake.state.schedules.values()].filter((s) => s.name.startsWith("keybridge "))).toHaveLength(1);
});

test("a changed schedule replaces the template; a schedule no longer wanted is removed", async () => {
  const { holder, keyId } = await holderWithKey();
  await h.driver.setGrants(holder, grants(STAFFED), op);
  const first = fake.state.key(keyId).scheduleId;
  await h.driver.setGrants(holder, grants(OFFICE_HOURS), op);
  const second = fake.state.key(keyId).scheduleId;
  expect(second).not.toBe(first);
  expect(fake.state.schedules.get(second ?? "")?.intervals).toContainEqual({
    weekday: 5,
    start: "08:00",
    end: "17:00",
  });
  await h.driver.setGrants(holder, grants(), op);
  expect(fake.state.key(keyId).scheduleId).toBeNull();
});

test("an administrator's template stays unless the profile declares a schedule", async () => {
  const { holder, keyId } = await holderWithKey();
  await h.driver.setGrants(holder, grants(), op);
  fake.state.key(keyId).scheduleId = "sch-office-hours"; // set in the CWM UI
  await h.fake.clearJournal();
  await h.driver.setGrants(holder, grants(), op);
  expect(await mutating()).toEqual([]);
  expect(fake.state.key(keyId).scheduleId).toBe("sch-office-hours");
  await h.driver.setGrants(holder, grants(STAFFED), op);
  expect(fake.state.schedules.get(fake.state.key(keyId).scheduleId ?? "")?.name).toMatch(/^keybridge /);
});

test("profiles with different schedules on one key are refused before anything is written", async () => {
  const { holder } = await holderWithKey();
  await h.fake.clearJournal();
  const mixed = [...grants(STAFFED, ["ap-office"]), ...grants(undefined, ["ap-lab"])];
  const err = await h.driver.setGrants(holder, mixed, op).catch((e: unknown) => e);
  expect(isDriverError(err) && err.kind).toBe("permanent");
  expect(await mutating()).toEqual([]);
});

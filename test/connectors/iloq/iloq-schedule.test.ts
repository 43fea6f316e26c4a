// iLOQ schedules: a profile's weekly hours are written as the key's own time profile (slot 2+, weekly
// TimeLimitData on the 15-minute grid, lock-local time), checked with CanAddTimeLimit first, read back
// and compared, and the fake's lock refuses the key outside those hours.
import { iloqDriverFactory } from "../../../connectors/iloq/iloq-driver-factory";
import type { KeySystemDriver, WeeklySchedule } from "../../../src/drivers/key-system-driver";
import { silentLogger } from "../../../src/log/logger";
import { checkTimeLimitSlots } from "../../fakes/iloq/iloq-fake-checks";
import { DEMO_SEED, seedDemo } from "../../fakes/iloq/iloq-fake-seed";
import { IloqFakeServer } from "../../fakes/iloq/iloq-fake-server";
import { defaultAssumptions } from "../../fakes/iloq/iloq-fake-types";

const clock = { now: () => new Date("2026-11-26T10:00:00Z") };
const op = { operationId: "op" };
const [A, B] = DEMO_SEED.apiAccessIds as [string, string];
const LOCK = DEMO_SEED.lockIds[0] as string;
const ZONE = "Europe/Helsinki"; // the demo lock group's "FLE Standard Time"
let fake: IloqFakeServer;
let d: KeySystemDriver;

/** Weekdays 05:45–22:15, weekends 06:45–19:15 (the example's control room). */
const staffed: WeeklySchedule = {
  timeZone: ZONE,
  windows: [
    { days: ["mon", "tue", "wed", "thu", "fri"], startMinute: 345, endMinute: 1335 },
    { days: ["sat", "sun"], startMinute: 405, endMinute: 1155 },
  ],
};

beforeEach(async () => {
  fake = new IloqFakeServer({ clock });
  seedDemo(fake.state);
  await fake.start();
  d = iloqDriverFactory.create(
    "hq",
    {
      baseUrl: fake.url,
      customerCode: DEMO_SEED.customerCode,
      userName: DEMO_SEED.userName,
      passwordSecret: "P",
      lockGroupId: DEMO_SEED.lockGroupId,
    },
    { logger: silentLogger(), clock, secrets: { P: DEMO_SEED.password } },
  );
});

afterEach(async () => {
  await d.close();
  await fake.stop();
});

async function phoneHolder() {
  const { holder } = await d.upsertHolder({ externalId: "e1", displayName: "Ada Lovelace" }, op);
  const cred = await d.issueCredential(holder, { kind: "phone", phone: "+358401112222" }, op);
  return { holder, keyId: cred.credentialId };
}

const puts = () => fake.journal.filter((e) => e.method === "PUT" && /SecurityAccesses$/i.test(e.path));

it("declares schedules without connecting", () => {
  expect(iloqDriverFactory.capabilities).toEqual({
    schedules: true,
    credentialKinds: ["phone", "tag", "physical"],
  });
});

it("writes the schedule as a weekly time profile in slot 2 and the lock refuses the key outside it", async () => {
  const { holder, keyId } = await phoneHolder();
  await d.setGrants(holder, [{ vendorRef: A, schedule: staffed }], op);
  const slots = fake.state.keys.get(keyId)?.planned.timeLimitSlots ?? [];
  expect(slots).toHaveLength(1);
  expect(slots[0]).toMatchObject({
    SlotNo: 2,
    TimeLimitData: [
      { WeekDayMask: 0b0011111, StartTimeMS: 345 * 60_000, EndTimeMS: 1335 * 60_000 },
      { WeekDayMask: 0b1100000, StartTimeMS: 405 * 60_000, EndTimeMS: 1155 * 60_000 },
    ],
  });
  expect(fake.journal.some((e) => /TimeLimitTitles\/CanAdd$/i.test(e.path))).toBe(true);
  fake.control.keyProgrammed(keyId);
  // Thursday 2026-11-26: 05:30 Helsinki (03:30Z) is closed, 06:00 (04:00Z) open, 22:15 (20:15Z) closed.
  expect(fake.control.accessOutcome(LOCK, keyId, new Date("2026-11-26T03:30:00Z"))).toBe(1);
  expect(fake.control.accessOutcome(LOCK, keyId, new Date("2026-11-26T04:00:00Z"))).toBe(12);
  expect(fake.control.accessOutcome(LOCK, keyId, new Date("2026-11-26T20:15:00Z"))).toBe(1);
  // Saturday 2026-11-28 07:00 Helsinki (05:00Z) open, 19:30 (17:30Z) closed.
  expect(fake.control.accessOutcome(LOCK, keyId, new Date("2026-11-28T05:00:00Z"))).toBe(12);
  expect(fake.control.accessOutcome(LOCK, keyId, new Date("2026-11-28T17:30:00Z"))).toBe(1);
});

it("reads the schedule back, so the same schedule again writes nothing and a new one replaces it", async () => {
  const { holder, keyId } = await phoneHolder();
  await d.setGrants(holder, [{ vendorRef: A, schedule: staffed }], op);
  const state = await d.getCredentialState(keyId);
  expect(state?.plannedGrants).toEqual([{ vendorRef: A, schedule: staffed }]);
  const before = puts().length;
  await d.setGrants(holder, [{ vendorRef: A, schedule: staffed }], op);
  expect(puts()).toHaveLength(before);
  await d.setGrants(holder, [{ vendorRef: A }], op);
  expect(fake.state.keys.get(keyId)?.planned.timeLimitSlots).toEqual([]);
  expect((await d.getCredentialState(keyId))?.plannedGrants).toEqual([{ vendorRef: A }]);
});

it("keeps a time profile made in iLOQ Manager and puts the bridge's in the next free slot", async () => {
  const { holder, keyId } = await phoneHolder();
  const manager = {
    SlotNo: 2,
    LimitDateLg: null,
    TimeLimitTitle_ID: "manager-night-shift",
    TimeLimitData: [{ WeekDayMask: 127, StartTimeMS: 0, EndTimeMS: 6 * 3600_000 }],
  };
  const key = fake.state.keys.get(keyId);
  if (!key) throw new Error("no key");
  key.planned = { ...key.planned, timeLimitSlots: [manager] };
  await d.setGrants(holder, [{ vendorRef: A, schedule: staffed }], op);
  const slots = fake.state.keys.get(keyId)?.planned.timeLimitSlots ?? [];
  expect(slots.map((s) => [s.SlotNo, s.TimeLimitTitle_ID === "manager-night-shift"])).toEqual([
    [2, true],
    [3, false],
  ]);
});

it("a key holding a 24/7 right and a scheduled right carries the schedule (never wider than declared)", async () => {
  const { holder, keyId } = await phoneHolder();
  await d.setGrants(holder, [{ vendorRef: A }, { vendorRef: B, schedule: staffed }], op);
  expect(fake.state.keys.get(keyId)?.planned.timeLimitSlots).toHaveLength(1);
});

it("refuses a schedule in another time zone than the lock group's instead of shifting it", async () => {
  const { holder } = await phoneHolder();
  const berlin = { ...staffed, timeZone: "Europe/Berlin" };
  await expect(d.setGrants(holder, [{ vendorRef: A, schedule: berlin }], op)).rejects.toMatchObject({
    kind: "permanent",
  });
});

describe("the fake validates time profiles as iLOQ documents (CanAddTimeLimit, §2.4)", () => {
  const profile = (data: Array<{ WeekDayMask: number; StartTimeMS: number; EndTimeMS: number }>) => ({
    SlotNo: 2,
    LimitDateLg: null,
    TimeLimitTitle_ID: "t-1",
    TimeLimitData: data,
  });
  const Q = 15 * 60_000;

  it("answers 7 off the 15-minute grid, 13 for start ≥ end, 12 beyond the entry limit", () => {
    const canAdd = (slot: ReturnType<typeof profile>) =>
      checkTimeLimitSlots([slot], "FLE Standard Time", defaultAssumptions);
    expect(canAdd(profile([{ WeekDayMask: 1, StartTimeMS: 8 * 4 * Q, EndTimeMS: 9 * 4 * Q }]))).toBe(0);
    expect(canAdd(profile([{ WeekDayMask: 1, StartTimeMS: 10 * 60_000, EndTimeMS: 4 * Q }]))).toBe(7);
    expect(canAdd(profile([{ WeekDayMask: 1, StartTimeMS: 8 * Q, EndTimeMS: 8 * Q }]))).toBe(13);
    const tooMany = Array.from({ length: 8 }, () => ({ WeekDayMask: 1, StartTimeMS: 0, EndTimeMS: Q }));
    expect(canAdd(profile(tooMany))).toBe(12);
  });

  it("an off-grid schedule is refused at CanAddTimeLimit (7) before the key is changed", async () => {
    const { holder, keyId } = await phoneHolder();
    const bad = { timeZone: ZONE, windows: [{ days: ["mon" as const], startMinute: 7, endMinute: 60 }] };
    await expect(d.setGrants(holder, [{ vendorRef: A, schedule: bad }], op)).rejects.toMatchObject({
      kind: "permanent",
    });
    expect(fake.state.keys.get(keyId)?.planned.securityAccessIds).toEqual([]);
    expect(puts()).toHaveLength(0);
  });
});

// Lock-log intake by database time (key-systems.md §2.5 "Audit"): late and out-of-order logs are
// returned once each, including a log whose database time falls just before the previous window's end.
import { iloqDriverFactory } from "../../../connectors/iloq/iloq-driver-factory";
import type { KeySystemDriver } from "../../../src/drivers/key-system-driver";
import { silentLogger } from "../../../src/log/logger";
import { DEMO_SEED, seedDemo } from "../../fakes/iloq/iloq-fake-seed";
import { IloqFakeServer } from "../../fakes/iloq/iloq-fake-server";

const clock = {
  t: new Date("2026-11-26T10:00:00Z"),
  now() {
    return this.t;
  },
};
const at = (iso: string) => {
  clock.t = new Date(iso);
};
let fake: IloqFakeServer;
let driver: KeySystemDriver;
const LOCK = DEMO_SEED.lockIds[0] as string;

beforeEach(async () => {
  at("2026-11-26T10:00:00Z");
  fake = new IloqFakeServer({ clock });
  seedDemo(fake.state);
  await fake.start();
  const options = {
    baseUrl: fake.url,
    customerCode: DEMO_SEED.customerCode,
    userName: DEMO_SEED.userName,
    passwordSecret: "P",
    lockGroupId: DEMO_SEED.lockGroupId,
    eventsOverlapMs: 60_000,
  };
  driver = iloqDriverFactory.create("hq", options, {
    logger: silentLogger(),
    clock,
    secrets: { P: DEMO_SEED.password },
  });
});

afterEach(async () => {
  await driver.close();
  await fake.stop();
});

it("returns old-dated logs by arrival, converts local GoingDate to UTC, and never repeats one", async () => {
  const first = await driver.pullEvents(null);
  at("2026-11-26T10:05:00Z");
  fake.control.appendLog({
    FLock_ID: LOCK,
    goingUtc: new Date("2026-11-20T06:30:00Z"),
    AccessTypeMask: 2052,
  });
  fake.control.appendLog({ FLock_ID: LOCK, goingUtc: new Date("2026-11-19T06:30:00Z"), AccessTypeMask: 1 });
  const second = await driver.pullEvents(first.nextCursor);
  expect(second.events.map((e) => [e.occurredAt, e.kind])).toEqual([
    ["2026-11-20T06:30:00.000Z", "access_granted"],
    ["2026-11-19T06:30:00.000Z", "access_denied"],
  ]);
  at("2026-11-26T10:06:00Z");
  expect((await driver.pullEvents(second.nextCursor)).events).toEqual([]);
});

it("picks up a log committed late with a database time just before the previous window ended", async () => {
  at("2026-11-26T10:05:00Z");
  const page = await driver.pullEvents(null);
  at("2026-11-26T10:05:30Z");
  // Stored with a database time 10 s before the previous pull's end, but visible only now.
  fake.control.appendLog({ FLock_ID: LOCK, timestampUtc: new Date("2026-11-26T10:04:50Z") });
  const next = await driver.pullEvents(page.nextCursor);
  expect(next.events).toHaveLength(1);
  at("2026-11-26T10:05:40Z");
  expect((await driver.pullEvents(next.nextCursor)).events).toEqual([]);
});

it("refuses a cursor it did not make", async () => {
  await expect(driver.pullEvents("not-a-cursor")).rejects.toMatchObject({ kind: "permanent" });
});

// The iLOQ lock group and zone come from the mapping scope or the options, one of them: a key system whose
// mappings say `scope: {lockGroupId, zoneId}` selects that locking system and places persons in that zone.
import { iloqDriverFactory } from "../../../connectors/iloq/iloq-driver-factory";
import { systemClock } from "../../../src/drivers/key-system-driver";
import { silentLogger } from "../../../src/log/logger";
import { DEMO_SEED, seedDemo } from "../../fakes/iloq/iloq-fake-seed";
import { IloqFakeServer } from "../../fakes/iloq/iloq-fake-server";

let fake: IloqFakeServer;
const deps = () => ({
  logger: silentLogger(),
  clock: systemClock,
  secrets: { ILOQ_PASSWORD: DEMO_SEED.password },
});
const options = (extra: Record<string, unknown> = {}) => ({
  baseUrl: fake.url,
  customerCode: DEMO_SEED.customerCode,
  userName: DEMO_SEED.userName,
  passwordSecret: "ILOQ_PASSWORD",
  ...extra,
});

beforeEach(async () => {
  fake = new IloqFakeServer({ clock: systemClock });
  seedDemo(fake.state);
  fake.state.zones.push({
    Zone_ID: "20000000-0000-4000-8000-0000000000ff",
    LockGroup_ID: DEMO_SEED.lockGroupId,
    Name: "Other",
    Description: "",
    Type: 4,
  });
  await fake.start();
});
afterEach(() => fake.stop());

test("the scope's lock group is selected and its zone holds new persons", async () => {
  const zoneId = "20000000-0000-4000-8000-0000000000ff";
  const scope = { lockGroupId: DEMO_SEED.lockGroupId, zoneId };
  const driver = iloqDriverFactory.create("hq", options(), deps(), scope);
  try {
    expect((await driver.healthCheck()).status).toBe("ok");
    await driver.upsertHolder({ externalId: "ext-1", displayName: "Ada Lovelace" }, { operationId: "op" });
    const persons = [...fake.state.persons.values()];
    expect(persons.map((p) => [p.LockGroup_ID, p.zoneIds])).toEqual([[DEMO_SEED.lockGroupId, [zoneId]]]);
  } finally {
    await driver.close();
  }
});

test("a scope lock group and a different options.lockGroupId refuse to start", () => {
  const scope = { lockGroupId: DEMO_SEED.lockGroupId };
  expect(() => iloqDriverFactory.create("hq", options({ lockGroupId: "other" }), deps(), scope)).toThrow(
    /scope\.lockGroupId in the mappings and options\.lockGroupId in the config differ/,
  );
});

test("no lock group at all refuses to start with the fix in the message", () => {
  expect(() => iloqDriverFactory.create("hq", options(), deps())).toThrow(/no iLOQ lock group/);
});

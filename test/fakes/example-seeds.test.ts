// The shipped example runs against both simulators as is: with exactly the configuration the simulators
// print, the real drivers (built as `keybridge start` builds them, from the example mappings with their
// scopes) reach the simulated systems, and every vendor reference the example binds is offered there and
// assignable by the bridge.
import { join } from "node:path";
import { parseConfig } from "../../src/config/load-config";
import type { KeySystemDriver } from "../../src/drivers/key-system-driver";
import { silentLogger } from "../../src/log/logger";
import { buildDrivers } from "../../src/runtime/build-drivers";
import { loadCheckedMappings } from "../../src/runtime/driver-scope-schemas";
import type { CliqFake } from "./cliq/cliq-fake-server";
import { startCliqSimulator } from "./cliq/cliq-simulator";
import type { IloqFakeServer } from "./iloq/iloq-fake-server";
import { startIloqSimulator } from "./iloq/iloq-simulator";

const mappings = loadCheckedMappings(join(__dirname, "../../mappings"));
let iloq: {
  fake: IloqFakeServer;
  banner: string;
  config: { settings: unknown; env: Record<string, string> };
};
let cliq: { fake: CliqFake; banner: string; config: { settings: unknown; env: Record<string, string> } };
let drivers: Map<string, KeySystemDriver>;

beforeAll(async () => {
  iloq = await startIloqSimulator({ port: 0 });
  cliq = await startCliqSimulator({ port: 0 });
  const env = { ...iloq.config.env, ...cliq.config.env };
  const secrets = Object.fromEntries(
    Object.entries(env).map(([k, v]) => [k.replace(/^KEYBRIDGE_SECRET_/, ""), v]),
  );
  const config = parseConfig({
    keySystems: { "main-iloq": iloq.config.settings, "substations-cliq": cliq.config.settings },
    secrets,
  });
  drivers = buildDrivers(config, mappings, {
    logger: silentLogger(),
    clock: { now: () => new Date() },
  }).drivers;
});
afterAll(async () => {
  for (const d of drivers?.values() ?? []) await d.close();
  await iloq?.fake.stop();
  await cliq?.fake.stop();
});

function boundRefs(system: string): string[] {
  return [...mappings.profiles.values()]
    .flatMap((p) => p.bindings.filter((b) => b.system === system).flatMap((b) => b.vendorRefs))
    .sort();
}

test.each(["main-iloq", "substations-cliq"])(
  "%s: the simulator offers every vendorRef the example binds",
  async (system) => {
    const driver = drivers.get(system);
    if (!driver) throw new Error(`no driver for ${system}`);
    expect((await driver.healthCheck()).status).toBe("ok");
    const catalog = new Map((await driver.listGrantCatalog()).map((c) => [c.vendorRef, c]));
    const refs = boundRefs(system);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect([ref, catalog.get(ref)?.changeable]).toEqual([ref, true]);
  },
);

test("main-iloq: the scope's lock group is selected and its zone receives new persons", async () => {
  const driver = drivers.get("main-iloq");
  const { holder } = await (driver as KeySystemDriver).upsertHolder(
    { externalId: "ext-example", displayName: "Ada Lovelace" },
    { operationId: "op" },
  );
  const scope = mappings.keySystems.get("main-iloq")?.scope;
  const person = iloq.fake.state.persons.get(holder.holderId);
  expect([person?.LockGroup_ID, person?.zoneIds]).toEqual([scope?.lockGroupId, [scope?.zoneId]]);
});

test("substations-cliq: persons are created in the scope's domain and a key of its pool is handed out", async () => {
  const driver = drivers.get("substations-cliq") as KeySystemDriver;
  const op = { operationId: "op" };
  const { holder } = await driver.upsertHolder(
    { externalId: "ext-example", displayName: "Ada Lovelace" },
    op,
  );
  const issued = await driver.issueCredential(holder, { kind: "physical" }, op);
  const granted = await driver.setGrants(
    holder,
    boundRefs("substations-cliq").map((vendorRef) => ({ vendorRef })),
    op,
  );
  expect(granted.effect).toBe("pending_programming");
  const domain = mappings.keySystems.get("substations-cliq")?.scope?.domain;
  expect(cliq.fake.state.person(holder.holderId).domainIds).toEqual([domain]);
  expect(cliq.fake.state.key(issued.credentialId).domainId).toBe(domain);
});

test("the banners print the configuration the test used", () => {
  expect(iloq.banner).toContain("main-iloq:");
  expect(iloq.banner).toContain(`baseUrl: ${iloq.fake.url}`);
  expect(iloq.banner).toContain("export KEYBRIDGE_SECRET_ILOQ_PASSWORD=");
  expect(cliq.banner).toContain("substations-cliq:");
  expect(cliq.banner).toContain(`baseUrl: ${cliq.fake.baseUrl}`);
  expect(cliq.banner).toContain("credential: physical");
});

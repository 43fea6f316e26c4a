// CLIQ options: every violation is reported with its path, and certificates come from secrets or files.
import { cliqDriverFactory } from "../../../connectors/cliq/cliq-driver-factory";
import { DriverRegistry } from "../../../src/drivers/driver-registry";
import { silentLogger } from "../../../src/log/logger";
import { systemClock } from "../../../src/drivers/key-system-driver";
import { pkiPath, readPki } from "../../fakes/cliq/cliq-fake-pki";

const deps = (secrets: Record<string, string> = {}) => ({
  logger: silentLogger(),
  clock: systemClock,
  secrets,
});
const base = { baseUrl: "https://cwm.example/cwm/api/v0", domainId: "dom-1" };

test("bad options are a ConfigError naming each path", () => {
  expect(() =>
    cliqDriverFactory.create(
      "hq-cliq",
      { ...base, clientCert: {}, keyPool: { mode: "serials", serials: ["12"] } },
      deps(),
    ),
  ).toThrow(/clientCert: give exactly one of secret or file[\s\S]*clientKey[\s\S]*keyPool\.serials\.0/);
});

test("certificates resolve from secret names, and a missing secret stops start-up", async () => {
  const options = { ...base, clientCert: { secret: "CLIQ_CERT" }, clientKey: { secret: "CLIQ_KEY" } };
  expect(() => cliqDriverFactory.create("hq-cliq", options, deps({ CLIQ_CERT: "x" }))).toThrow(
    /secret CLIQ_KEY is not set/,
  );
  const driver = cliqDriverFactory.create(
    "hq-cliq",
    options,
    deps({ CLIQ_CERT: readPki("client.pem"), CLIQ_KEY: readPki("client.key") }),
  );
  expect(driver.driver).toBe("cliq");
  expect(driver.describe()).toMatchObject({ requiresPhysicalHandover: true, webhooks: false });
  await driver.close();
});

test("the registry builds a cliq driver by name", async () => {
  const options = {
    ...base,
    clientCert: { file: pkiPath("client.pem") },
    clientKey: { file: pkiPath("client.key") },
  };
  const driver = new DriverRegistry([cliqDriverFactory]).create("hq-cliq", "cliq", options, deps());
  expect([driver.driver, driver.systemId]).toEqual(["cliq", "hq-cliq"]);
  await driver.close();
});

test("an unreadable certificate file is a ConfigError", () => {
  const options = {
    ...base,
    clientCert: { file: pkiPath("missing.pem") },
    clientKey: { file: pkiPath("client.key") },
  };
  expect(() => cliqDriverFactory.create("hq-cliq", options, deps())).toThrow(/cannot read file/);
});

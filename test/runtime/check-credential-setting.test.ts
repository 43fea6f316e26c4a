// One credential setting per key system, checked at start-up against what the driver can issue, and the
// former iLOQ `credentialPolicy` option refused with a message pointing to the new key.
import { iloqDriverFactory } from "../../connectors/iloq/iloq-driver-factory";
import { configSchema } from "../../src/config/config-schema";
import { z } from "zod";
import { DriverRegistry } from "../../src/drivers/driver-registry";
import type { DriverFactory } from "../../src/drivers/key-system-driver";
import { silentLogger } from "../../src/log/logger";
import { buildDrivers, checkCredentialSetting, driverRegistry } from "../../src/runtime/build-drivers";
import { parseMappingSources } from "../../src/mapping/load-mappings";

const phoneOnly: DriverFactory = {
  driver: "phones",
  scopeSchema: z.object({}),
  capabilities: { schedules: false, credentialKinds: ["phone"] },
  create: () => {
    throw new Error("not built in this test");
  },
};

const config = (credential: unknown) => configSchema.parse({ keySystems: { hq: { credential } } });

it("refuses a credential kind the driver cannot issue, naming the config path", () => {
  const registry = new DriverRegistry([phoneOnly]);
  const setting = { kind: "tag", serialAttribute: "externalId" };
  expect(() => checkCredentialSetting(config(setting), "hq", "phones", registry)).toThrow(
    expect.objectContaining({
      code: "BRIDGE_CONFIG_INVALID",
      message: expect.stringContaining('keySystems.hq.credential.kind: driver phones cannot issue "tag"'),
    }),
  );
  expect(() => checkCredentialSetting(config({ kind: "phone" }), "hq", "phones", registry)).not.toThrow();
  expect(() => checkCredentialSetting(config({ kind: "none" }), "hq", "phones", registry)).not.toThrow();
});

it("the iLOQ driver issues phone keys, tags and physical keys", () => {
  for (const kind of ["phone", "tag", "physical"]) {
    const setting = { kind, serialAttribute: "externalId" };
    expect(() => checkCredentialSetting(config(setting), "hq", "iloq", driverRegistry())).not.toThrow();
  }
});

it("refuses the former iLOQ credentialPolicy option and points to keySystems.<id>.credential", () => {
  const options = {
    baseUrl: "http://127.0.0.1:1",
    customerCode: "C",
    userName: "u",
    passwordSecret: "P",
    lockGroupId: "lg",
    credentialPolicy: "tag",
  };
  const deps = { logger: silentLogger(), clock: { now: () => new Date() }, secrets: { P: "x" } };
  expect(() => iloqDriverFactory.create("hq", options, deps)).toThrow(
    expect.objectContaining({
      code: "BRIDGE_CONFIG_INVALID",
      message: expect.stringContaining(
        "credentialPolicy: credentialPolicy is no longer an iloq option: set keySystems.hq.credential.kind",
      ),
    }),
  );
});

it("start-up refuses an iLOQ tag or physical setting without serialAttribute (iLOQ needs the key's serial)", () => {
  const iloq = {
    baseUrl: "http://127.0.0.1:1",
    customerCode: "C",
    userName: "u",
    passwordSecret: "P",
    lockGroupId: "lg",
  };
  const cfg = configSchema.parse({
    keySystems: { hq: { credential: "tag", options: iloq } },
    secrets: { P: "x" },
  });
  const mappings = parseMappingSources([
    { file: "m.yaml", text: "apiVersion: keybridge.io/v1\nkind: KeySystem\nid: hq\ndriver: iloq\n" },
  ]);
  const deps = { logger: silentLogger(), clock: { now: () => new Date() } };
  expect(() => buildDrivers(cfg, mappings, deps)).toThrow(
    expect.objectContaining({
      code: "BRIDGE_CONFIG_INVALID",
      message: expect.stringContaining(
        "keySystems.hq.credential.serialAttribute: driver iloq needs the key's serial",
      ),
    }),
  );
});

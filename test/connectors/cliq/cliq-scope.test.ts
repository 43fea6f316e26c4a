// The CLIQ domain comes from the mapping scope or the options, one of them: a key system whose mappings
// say `scope: {domain: …}` creates persons and hands out keys in that domain (it used to send the scope as a
// stringified object for the domain id, and CWM answered 403 to every grant).
import { parseConfig } from "../../../src/config/load-config";
import { isDriverError } from "../../../src/drivers/driver-error";
import { silentLogger } from "../../../src/log/logger";
import { parseMappingSources } from "../../../src/mapping/load-mappings";
import { buildDrivers } from "../../../src/runtime/build-drivers";
import { mappingLoadOptions } from "../../../src/runtime/driver-scope-schemas";
import { pkiPath } from "../../fakes/cliq/cliq-fake-pki";
import { type CliqFake, startCliqFake } from "../../fakes/cliq/cliq-fake-server";
import { SEED_DOMAIN } from "../../fakes/cliq/cliq-fake-seed";

const op = { operationId: "op-scope" };
let fake: CliqFake;

beforeEach(async () => {
  fake = await startCliqFake();
});
afterEach(() => fake.stop());

function mappings(scope: string) {
  const systems = `apiVersion: keybridge.io/v1\nkind: KeySystem\nid: subst\ndriver: cliq\n${scope}`;
  const profiles =
    "apiVersion: keybridge.io/v1\nkind: Profile\nname: office\nkeySystems:\n  subst: { vendorRefs: [ap-office] }\n";
  return parseMappingSources(
    [
      { file: "m/systems.yaml", text: systems },
      { file: "m/profiles.yaml", text: profiles },
    ],
    mappingLoadOptions,
  );
}

function build(scope: string, options: Record<string, unknown> = {}) {
  const config = parseConfig({
    keySystems: {
      subst: {
        options: {
          baseUrl: fake.baseUrl,
          clientCert: { file: pkiPath("client.pem") },
          clientKey: { file: pkiPath("client.key") },
          ca: { file: pkiPath("ca.pem") },
          keyPool: { mode: "any_in_stock" },
          ...options,
        },
      },
    },
  });
  return buildDrivers(config, mappings(scope), { logger: silentLogger(), clock: fake.clock });
}

test("the mapping scope's domain is the CWM domain: the person, the key and the grant live there", async () => {
  const driver = build(`scope:\n  domain: ${SEED_DOMAIN}\n`).drivers.get("subst");
  if (!driver) throw new Error("no driver");
  try {
    const { holder } = await driver.upsertHolder({ externalId: "ext-1", displayName: "Ada Lovelace" }, op);
    const issued = await driver.issueCredential(holder, { kind: "physical" }, op);
    const granted = await driver.setGrants(holder, [{ vendorRef: "ap-office" }], op);
    expect(granted.effect).toBe("pending_programming");
    expect(fake.state.person(holder.holderId).domainIds).toEqual([SEED_DOMAIN]);
    expect(fake.state.key(issued.credentialId).accessProfileIds).toEqual(["ap-office"]);
    expect(fake.journal.filter((e) => e.status === 403)).toEqual([]);
  } finally {
    await driver.close();
  }
});

test("options.domainId serves a key system whose mappings declare no scope", async () => {
  const driver = build("", { domainId: SEED_DOMAIN }).drivers.get("subst");
  if (!driver) throw new Error("no driver");
  try {
    const { holder } = await driver.upsertHolder({ externalId: "ext-2", displayName: "Grace Hopper" }, op);
    expect(fake.state.person(holder.holderId).domainIds).toEqual([SEED_DOMAIN]);
  } finally {
    await driver.close();
  }
});

test("a scope domain and a different options.domainId refuse to start, naming both", () => {
  const thrown = (() => {
    try {
      build(`scope:\n  domain: ${SEED_DOMAIN}\n`, { domainId: "dom-2" });
    } catch (err) {
      return err as Error;
    }
    return null;
  })();
  expect(thrown?.message).toMatch(/scope\.domain in the mappings and options\.domainId in the config differ/);
  expect(isDriverError(thrown)).toBe(false);
});

test("no domain at all refuses to start with the fix in the message", () => {
  expect(() => build("")).toThrow(/no CWM domain[\s\S]*set scope\.domain/);
});

// The shipped example end to end against the CLIQ fake over mutual TLS, configured as an operator would
// (keySystems.substations-cliq: certificate files, the CWM domain, a key pool): Entra-, Okta- and
// SailPoint-provisioned persons are handed dynamic keys carrying the example's access profiles, and on
// deactivation each key is reprogrammed to no access — pending with its exposure deadline until the key
// meets a remote programming device, then effective — confirmed by the fake's own key records.
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { keyInsertedInRemotePD } from "../fakes/cliq/cliq-fake-physical";
import { clientCertPaths, pkiPath } from "../fakes/cliq/cliq-fake-pki";
import { type CliqFake, startCliqFake } from "../fakes/cliq/cliq-fake-server";
import type { Key } from "../fakes/cliq/cliq-fake-types";
import { type E2eKeybridge, e2eConfig, LAYOUTS, startKeybridge } from "./e2e-processes";
import {
  EXAMPLE_PERSONS,
  EXAMPLE_TENANTS,
  exampleMappings,
  runExamplePersons,
  type VendorSide,
} from "./example-flow";
import { EXAMPLE_CLIQ, exampleCliqSeed } from "../fakes/cliq/cliq-example-seed";

const DAY_MS = 24 * 60 * 60 * 1000;

function keysOf(fake: CliqFake, ext: string): Key[] {
  const persons = [...fake.state.persons.values()].filter(
    (p) => !p.deleted && p.externalLinks.some((l) => l.system === "keybridge" && l.value === ext),
  );
  const ids = new Set(persons.map((p) => p.id));
  return [...fake.state.keys.values()].filter((k) => k.holderId !== null && ids.has(k.holderId));
}

function cliqSide(fake: CliqFake): VendorSide {
  return {
    system: "substations-cliq",
    async heldRefs(ext) {
      // Authorised = programmed access AND valid (key-systems.md §1.2): a key reprogrammed to validity
      // "never" opens nothing, whatever profiles it still lists.
      return keysOf(fake, ext)
        .filter((k) => k.status === "handed_out" && k.programmed && k.programmed.validity.mode !== "never")
        .flatMap((k) => k.programmed?.accessProfileIds ?? [])
        .sort();
    },
    async program(ext) {
      // The holder puts the key into a wall programming device (CLIQ Remote, §1.3).
      for (const key of keysOf(fake, ext))
        if (key.status === "handed_out") keyInsertedInRemotePD(fake.state, key.id);
    },
    async checkGranted(ext, expected) {
      if (!expected["substation-contractor"]) return;
      // The contractor rule's 30-day cap is on the key itself, as its validity (§1.2).
      const validity = keysOf(fake, ext)[0]?.programmed?.validity;
      expect(validity?.mode).toBe("between");
      const days = (Date.parse(validity?.to ?? "") - Date.now()) / DAY_MS;
      expect(days).toBeGreaterThan(29);
      expect(days).toBeLessThanOrEqual(31); // at most the 30 days, perhaps rounded up to a day boundary
    },
    revokePendingStates: ["pending_programming", "pending_propagation"],
    pendingRevocationHasDeadline: true,
  };
}

describe.each(LAYOUTS)("the shipped example on the CLIQ fake (%s)", (layout) => {
  let redis: TestRedis;
  let fake: CliqFake;
  let kb: E2eKeybridge;

  beforeAll(async () => {
    redis = await startTestRedis();
    fake = await startCliqFake({ seed: exampleCliqSeed() });
    const { certFile, keyFile } = clientCertPaths("client");
    kb = await startKeybridge(
      e2eConfig({
        redisUrl: redis.url,
        mappingsDir: exampleMappings(),
        tenants: EXAMPLE_TENANTS,
        keySystems: {
          "substations-cliq": {
            credential: "physical",
            options: {
              baseUrl: fake.baseUrl,
              domainId: EXAMPLE_CLIQ.domainId,
              clientCert: { file: certFile },
              clientKey: { file: keyFile },
              ca: { file: pkiPath("ca.pem") },
              keyPool: { mode: "any_in_stock" },
              revalidationDays: 7,
              requestTimeoutMs: 2000,
            },
          },
        },
        reconcile: { backoffMs: 50, confirmAfterMs: 200 },
      }),
      layout,
    );
  });

  afterAll(async () => {
    await kb?.close();
    await fake?.stop();
    await redis.stop();
  });

  it("Entra-, Okta- and SailPoint-provisioned persons get keys with the example's access profiles, and lose them", async () => {
    const persons = EXAMPLE_PERSONS.filter((p) => p.expect["substations-cliq"]);
    await runExamplePersons(kb, [cliqSide(fake)], persons);
  });
});

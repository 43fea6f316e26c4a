// The CLIQ contract harness: a fresh CWM-like fake over HTTPS with mutual TLS and a CLIQ driver built by
// its factory from certificate files, per test. The shared suite and the driver benchmark import it.
import { cliqDriverFactory } from "../../../connectors/cliq/cliq-driver-factory";
import { CliqTransport } from "../../../connectors/cliq/cliq-transport";
import type { Clock, KeySystemDriver } from "../../../src/drivers/key-system-driver";
import { silentLogger } from "../../../src/log/logger";
import type { ContractHarness, FakeControl } from "../../contract/contract-harness";
import { programAllCylinders } from "../../fakes/cliq/cliq-fake-control";
import { cylinderProgrammed, keyInsertedInRemotePD } from "../../fakes/cliq/cliq-fake-physical";
import { handIn } from "../../fakes/cliq/cliq-fake-procedures";
import { type ClientCertName, clientCertPaths, pkiPath, readPki } from "../../fakes/cliq/cliq-fake-pki";
import { type CliqFake, type CliqFakeOptions, startCliqFake } from "../../fakes/cliq/cliq-fake-server";
import { DYNAMIC_SERIALS, SEED_DOMAIN } from "../../fakes/cliq/cliq-fake-seed";
import { ALL_PROCEDURES, type ApiUser } from "../../fakes/cliq/cliq-fake-types";

/** The desk operator who takes keys back (the control plane acts with every procedure). */
const ADMIN: ApiUser = { name: "desk", procedures: ALL_PROCEDURES, domainIds: [SEED_DOMAIN, "dom-2"] };

export const CLIQ_GRANT_REFS = ["ap-office", "ap-lab", "ap-plant"];
export const CLIQ_FOREIGN_REF = "ap-server-room";
export const CLIQ_LINK_SYSTEM = "keybridge";
const REQUEST_TIMEOUT_MS = 1000;

export interface CliqDriverSetup {
  cert?: ClientCertName;
  keyPool?: unknown;
  clock?: Clock;
  options?: Record<string, unknown>;
  /** The KeySystem's mapping scope, as the runtime hands it to the factory. */
  scope?: unknown;
}

/** A CLIQ driver for `fake`, configured the way an operator would (files for the certificate). */
export function createCliqDriver(fake: CliqFake, setup: CliqDriverSetup = {}): KeySystemDriver {
  const { certFile, keyFile } = clientCertPaths(setup.cert ?? "client");
  return cliqDriverFactory.create(
    "test-cliq",
    {
      baseUrl: fake.baseUrl,
      domainId: SEED_DOMAIN,
      clientCert: { file: certFile },
      clientKey: { file: keyFile },
      ca: { file: pkiPath("ca.pem") },
      keyPool: setup.keyPool ?? { mode: "any_in_stock" },
      managedAccessProfileIds: CLIQ_GRANT_REFS,
      revalidationDays: 7,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      ...setup.options,
    },
    { logger: silentLogger(), clock: setup.clock ?? fake.clock, secrets: {} },
    setup.scope,
  );
}

function personIds(fake: CliqFake, externalId: string): string[] {
  return [...fake.state.persons.values()]
    .filter(
      (p) =>
        !p.deleted && p.externalLinks.some((l) => l.system === CLIQ_LINK_SYSTEM && l.value === externalId),
    )
    .map((p) => p.id);
}

/** The test-only control plane, driven in-process (the same actions exist over HTTP under /__fake/). */
export function cliqFakeControl(fake: CliqFake): FakeControl {
  const { state } = fake;
  const probe = new CliqTransport(
    fake.baseUrl,
    { cert: readPki("client.pem"), key: readPki("client.key"), ca: readPki("ca.pem") },
    REQUEST_TIMEOUT_MS,
  );
  return {
    journal: async () => fake.journal.map((e) => ({ ...e })),
    clearJournal: async () => {
      fake.journal.length = 0;
    },
    completeProgramming: async (credentialId) => {
      const keys = credentialId ? [state.key(credentialId)] : [...state.keys.values()];
      for (const key of keys) {
        if (key.keyType !== "normal") keyInsertedInRemotePD(state, key.id);
        const cylinders = state.pendingJobsForKey(key.id).filter((j) => j.kind === "cylinder_programming");
        for (const target of new Set(cylinders.map((j) => j.targetId))) cylinderProgrammed(state, target);
      }
    },
    returnCredential: async (credentialId) => {
      const key = state.key(credentialId);
      if (key.status === "handed_out") handIn(state, ADMIN, key.id);
    },
    propagateBlocklist: async () => {
      programAllCylinders(state);
    },
    injectFault: async (fault) => {
      fake.faults.inject(fault);
      // session_expiry closes the idle TLS connections; let the client see the close before it sends again.
      if (fault.kind === "session_expiry") await new Promise((r) => setTimeout(r, 25));
    },
    clearFaults: async () => fake.faults.clear(),
    loginAttempts: async () => fake.loginAttempts(),
    holderCount: async (externalId) => personIds(fake, externalId).length,
    credentialCount: async (externalId) => {
      const ids = new Set(personIds(fake, externalId));
      return [...state.keys.values()].filter((k) => k.holderId !== null && ids.has(k.holderId)).length;
    },
    seedForeignGrant: async (externalId, vendorRef) => {
      const ids = new Set(personIds(fake, externalId));
      const key = [...state.keys.values()].find((k) => k.holderId !== null && ids.has(k.holderId));
      if (!key) throw new Error("seedForeignGrant: holder has no key");
      key.accessProfileIds.push(vendorRef);
      key.programmed?.accessProfileIds.push(vendorRef);
    },
    appendEvent: async (event) => {
      const key = event.credentialId ? state.keys.get(event.credentialId) : undefined;
      state.appendEvent({
        kind: event.granted === false ? "access_denied" : "access_granted",
        keyId: event.credentialId,
        cylinderId: "cyl-1",
        personId: key?.holderId ?? undefined,
        occurredAt: event.occurredAt,
        source: "cylinder_upload",
      });
    },
    roundTrip: async () => {
      const res = await probe.request("GET", "info");
      if (res.status !== 200) throw new Error(`roundTrip: HTTP ${res.status}`);
    },
  };
}

/** `onStart` receives each test's fake, for tests that read its state directly. */
export function cliqHarness(
  fakeOptions: CliqFakeOptions = {},
  onStart?: (fake: CliqFake) => void,
): ContractHarness {
  let current: { fake: CliqFake; driver: KeySystemDriver } | null = null;
  return {
    name: "cliq (CWM-like v0 over mutual TLS)",
    async setup() {
      const fake = await startCliqFake(fakeOptions);
      const driver = createCliqDriver(fake);
      current = { fake, driver };
      onStart?.(fake);
      return { driver, fake: cliqFakeControl(fake) };
    },
    async teardown() {
      if (!current) return;
      await current.driver.close();
      await current.fake.stop();
      current = null;
    },
    grantRefs: CLIQ_GRANT_REFS,
    foreignGrantRef: CLIQ_FOREIGN_REF,
    credentialSpec: (n) => ({ kind: "physical", serial: DYNAMIC_SERIALS[n % DYNAMIC_SERIALS.length] }),
    createHolderPath: "persons",
    async arrangeManualOnlyChange(_fake, subject) {
      // A normal key has no access list: any change needs cylinder programming (§1.2 Key kinds).
      // With the fake's switch on "reject", CWM answers 422 requires_cylinder_programming [inf].
      if (!current) throw new Error("arrangeManualOnlyChange: no fake");
      current.fake.state.key(subject.credentialId).keyType = "normal";
      current.fake.state.behaviour.normalKeyAccess = "reject";
      return [{ vendorRef: "ap-lab" }];
    },
    expect: {
      grantEffect: "pending_programming",
      offboardingEffect: "pending_programming",
      lostEffect: "pending_propagation",
      internalRetries: 0,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
    },
  };
}

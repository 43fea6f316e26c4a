// Mutual TLS with the CWM-like fake: an expired, foreign-CA or unmapped API certificate is refused, and the
// driver reports it as systemic after a single attempt (key-systems.md §1.4; §5 AuthenticationFailed).
import { isDriverError } from "../../../src/drivers/driver-error";
import type { ClientCertName } from "../../fakes/cliq/cliq-fake-pki";
import { type CliqFake, startCliqFake } from "../../fakes/cliq/cliq-fake-server";
import { createCliqDriver } from "./cliq-harness";

async function refusal(fake: CliqFake, cert: ClientCertName, options: Record<string, unknown> = {}) {
  const driver = createCliqDriver(fake, { cert, options });
  try {
    await driver.observe("ext-1");
  } catch (err) {
    return err;
  } finally {
    await driver.close();
  }
  throw new Error("expected the certificate to be refused");
}

describe.each(["tls", "http"] as const)("certificate check at the %s layer", (certificateCheck) => {
  let fake: CliqFake;
  beforeEach(async () => {
    fake = await startCliqFake({ certificateCheck });
  });
  afterEach(() => fake.stop());

  test.each(["expired-client", "unknown-ca-client"] as const)(
    "%s certificate: systemic, one attempt",
    async (cert) => {
      const err = await refusal(fake, cert);
      expect(isDriverError(err)).toBe(true);
      expect(err).toMatchObject({ kind: "systemic" });
      expect(fake.loginAttempts()).toBe(1);
      // Nothing reached the vendor surface as a data request beyond the one refused attempt.
      expect(fake.journal.length).toBeLessThanOrEqual(1);
      expect(fake.journal.every((e) => e.status === 401)).toBe(true);
    },
  );

  test("a valid certificate works", async () => {
    const driver = createCliqDriver(fake);
    await expect(driver.observe("ext-1")).resolves.toMatchObject({ holder: null });
    await driver.close();
  });
});

test("a valid certificate that maps to no API user is answered 401 and is systemic", async () => {
  const fake = await startCliqFake();
  try {
    const err = await refusal(fake, "stranger-client");
    expect(err).toMatchObject({ kind: "systemic", vendorSignal: "HTTP 401 unknown_certificate" });
    expect(fake.journal).toHaveLength(1);
  } finally {
    await fake.stop();
  }
});

test("a CWM server certificate the driver does not trust is systemic", async () => {
  const fake = await startCliqFake();
  try {
    // Without the test CA the driver falls back to the system CAs, which do not know the fake's CA.
    const err = await refusal(fake, "client", { ca: undefined });
    expect(err).toMatchObject({ kind: "systemic" });
    expect(fake.journal).toHaveLength(0);
  } finally {
    await fake.stop();
  }
});

test("health check reports down, not ok, with an expired certificate", async () => {
  const fake = await startCliqFake();
  const driver = createCliqDriver(fake, { cert: "expired-client" });
  try {
    expect(await driver.healthCheck()).toMatchObject({ status: "down" });
  } finally {
    await driver.close();
    await fake.stop();
  }
});

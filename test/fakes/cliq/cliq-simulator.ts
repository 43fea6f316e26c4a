// Runs the CLIQ fake stand-alone (`keybridge simulate cliq [--port N] [--plain]`), seeded with the shipped
// example's CWM domain, and prints the exact config that points the example's `substations-cliq` at it.
import { renderSimulatedConfig, type SimulatedSystemConfig } from "../example-config";
import { EXAMPLE_CLIQ, exampleCliqSeed } from "./cliq-example-seed";
import { pkiPath } from "./cliq-fake-pki";
import { type CliqFake, startCliqFake } from "./cliq-fake-server";

export const CLIQ_SIMULATOR_PORT = 8092;

export interface CliqSimulatorOptions {
  port?: number;
  /** Plain HTTP instead of HTTPS with a required client certificate (tests only: the driver needs TLS). */
  plain?: boolean;
  host?: string;
}

/** `keySystems.substations-cliq` for a simulator whose vendor surface is at `baseUrl`. */
export function cliqExampleConfig(baseUrl: string): SimulatedSystemConfig {
  return {
    system: "substations-cliq",
    settings: {
      // CLIQ keys are physical: the bridge hands out a key from the pool, a person collects it.
      credential: "physical",
      options: {
        baseUrl,
        clientCert: { file: pkiPath("client.pem") },
        clientKey: { file: pkiPath("client.key") },
        ca: { file: pkiPath("ca.pem") },
        keyPool: { mode: "any_in_stock" },
        revalidationDays: EXAMPLE_CLIQ.revalidationDays,
      },
    },
    env: {},
  };
}

/** Starts the fake and returns it with a banner: what is seeded, the config to paste, the control plane. */
export async function startCliqSimulator(
  options: CliqSimulatorOptions = {},
): Promise<{ fake: CliqFake; banner: string; config: SimulatedSystemConfig }> {
  const fake = await startCliqFake({
    tls: !options.plain,
    port: options.port ?? CLIQ_SIMULATOR_PORT,
    host: options.host,
    seed: exampleCliqSeed(),
  });
  const config = cliqExampleConfig(fake.baseUrl);
  const e = EXAMPLE_CLIQ;
  const keys = [...fake.state.keys.values()].map((k) => `${k.id} (${k.keyType}, serial ${k.serial})`);
  const banner = [
    `CLIQ fake ("CWM-like v0", every wire detail inferred) listening on ${fake.origin}`,
    `  vendor surface: ${fake.baseUrl} (${options.plain ? "plain HTTP" : "HTTPS, client certificate required"})`,
    `  seeded: the example's domain ${e.domainId}, access profiles:`,
    ...e.accessProfiles.map((p) => `      ${p.id}  ${p.name}`),
    `    keys in stock: ${keys.join(", ")}`,
    renderSimulatedConfig(config),
    `  control plane (the physical world): POST ${fake.origin}/__fake/keyInsertedInRemotePD {"keyId":"key-d1"}`,
    `    | cylinderProgrammed {"all":true} | keyUsed {"keyId":"key-d1","cylinderId":"nord-yard"} | advanceClock {"ms":…};`,
    `    POST /__fake/handIn {"keyId":"key-d1"} (the desk takes a key back); GET /__fake/state | journal`,
  ].join("\n");
  return { fake, banner, config };
}

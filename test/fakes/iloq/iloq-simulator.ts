// Runs the iLOQ fake stand-alone (`keybridge simulate iloq [--port N]`), seeded with the shipped example's
// locking system, and prints the exact config that points the example's `main-iloq` at it.
import { systemClock } from "../../../src/drivers/key-system-driver";
import { renderSimulatedConfig, type SimulatedSystemConfig } from "../example-config";
import { EXAMPLE_ILOQ, seedExampleIloq } from "./iloq-example-seed";
import { IloqFakeServer } from "./iloq-fake-server";

export const ILOQ_SIMULATOR_PORT = 8091;

export interface IloqSimulatorOptions {
  port?: number;
  host?: string;
}

/** `keySystems.main-iloq` and its secret for a simulator at `url`. */
export function iloqExampleConfig(url: string): SimulatedSystemConfig {
  return {
    system: "main-iloq",
    settings: {
      options: {
        baseUrl: url,
        customerCode: EXAMPLE_ILOQ.customerCode,
        userName: EXAMPLE_ILOQ.userName,
        passwordSecret: "ILOQ_PASSWORD",
      },
    },
    env: { KEYBRIDGE_SECRET_ILOQ_PASSWORD: EXAMPLE_ILOQ.password },
  };
}

/** Starts the fake and returns it with a banner: what is seeded, the config to paste, the control plane. */
export async function startIloqSimulator(
  options: IloqSimulatorOptions = {},
): Promise<{ fake: IloqFakeServer; banner: string; config: SimulatedSystemConfig }> {
  const fake = new IloqFakeServer({ clock: systemClock });
  const e = seedExampleIloq(fake.state);
  const url = await fake.start(options.port ?? ILOQ_SIMULATOR_PORT, options.host ?? "127.0.0.1");
  const config = iloqExampleConfig(url);
  const banner = [
    `iLOQ Public API v2 fake listening on ${url} (paths under /api/v2/; [inf] behaviours are assumptions)`,
    `  seeded: the example's locking system "${e.lockGroupName}" ${e.lockGroupId} (${e.timeZoneStandardName}),`,
    `    zone "${e.zoneName}" ${e.zoneId}, API access rights (Type 3):`,
    ...e.accesses.map((a) => `      ${a.id}  ${a.name}`),
    renderSimulatedConfig(config),
    `  control plane: GET ${url}/__fake/keys; POST /__fake/keys/{FNKey_ID}/phone-fetched | /programmed | /manager-edit; POST /__fake/locks/sync;`,
    `    POST /__fake/logs {"FLock_ID":"…","FNKey_ID":"…"}; POST /__fake/faults [{"status":503}]; GET /__fake/journal`,
  ].join("\n");
  return { fake, banner, config };
}

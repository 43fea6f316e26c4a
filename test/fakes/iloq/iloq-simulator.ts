// Runs the iLOQ fake stand-alone (`keybridge simulate iloq [--port N]`) with a seeded demo locking system.
import { systemClock } from "../../../src/drivers/key-system-driver";
import { DEMO_SEED, seedDemo } from "./iloq-fake-seed";
import { IloqFakeServer } from "./iloq-fake-server";

export interface IloqSimulatorOptions {
  port?: number;
  host?: string;
}

/** Starts the fake and returns it with a banner of its URL, credentials and control-plane calls. */
export async function startIloqSimulator(
  options: IloqSimulatorOptions = {},
): Promise<{ fake: IloqFakeServer; banner: string }> {
  const fake = new IloqFakeServer({ clock: systemClock });
  const seed = seedDemo(fake.state);
  const url = await fake.start(options.port ?? 0, options.host ?? "127.0.0.1");
  const banner = [
    `iLOQ Public API v2 fake listening on ${url} (paths under /api/v2/; [inf] behaviours are assumptions)`,
    `  CustomerCode: ${seed.customerCode}   UserName: ${seed.userName}   Password: ${seed.password}`,
    `  LockGroup_ID: ${seed.lockGroupId} (${seed.timeZoneStandardName})   Zone_ID: ${seed.zoneId}`,
    `  API access rights (Type 3): ${seed.apiAccessIds.join(", ")}`,
    `  standard right (Manager only): ${seed.standardAccessId}`,
    `  driver options: {"baseUrl":"${url}","customerCode":"${seed.customerCode}","userName":"${seed.userName}",` +
      `"passwordSecret":"ILOQ_PASSWORD","lockGroupId":"${seed.lockGroupId}"} with KEYBRIDGE_SECRET_ILOQ_PASSWORD=${seed.password}`,
    `  try: curl -s -X POST ${url}/api/v2/CreateSession -H 'content-type: application/json' -d '{"UserName":"${seed.userName}","Password":"${seed.password}","CustomerCode":"${seed.customerCode}"}'`,
    `  control plane: POST ${url}/__fake/keys/{FNKey_ID}/phone-fetched | /programmed | /manager-edit; POST /__fake/locks/sync;`,
    `    POST /__fake/logs {"FLock_ID":"${seed.lockIds[0]}","FNKey_ID":"…"}; POST /__fake/faults [{"status":503}]; GET /__fake/journal`,
  ].join("\n");
  return { fake, banner };
}

export { DEMO_SEED };

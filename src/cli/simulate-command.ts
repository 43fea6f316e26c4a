// `keybridge simulate <vendor> [--port N]`: runs a fake key-system vendor stand-alone for demos and for
// trying a driver by hand. Vendor specifics live in test/fakes/<vendor>/; this file only dispatches.
import { startCliqSimulator } from "../../test/fakes/cliq/cliq-simulator";
import { startGraphSimulator } from "../../test/fakes/graph/graph-simulator";
import { startIloqSimulator } from "../../test/fakes/iloq/iloq-simulator";
import { startOktaSimulator } from "../../test/fakes/okta/okta-simulator";
import { startSailpointSimulator } from "../../test/fakes/sailpoint/sailpoint-simulator";
import type { CliCommand } from "./cli-command";

interface RunningSimulator {
  banner: string;
  stop(): Promise<void>;
}

type SimulatorStarter = (options: { port?: number }) => Promise<RunningSimulator>;

/** One line per vendor. */
const SIMULATORS: Record<string, SimulatorStarter> = {
  iloq: async (o) => {
    const { fake, banner } = await startIloqSimulator(o);
    return { banner, stop: () => fake.stop() };
  },
  cliq: async (o) => {
    const { fake, banner } = await startCliqSimulator(o);
    return { banner, stop: () => fake.stop() };
  },
  okta: async (o) => {
    const { fake, banner } = await startOktaSimulator(o);
    return { banner, stop: () => fake.stop() };
  },
  entra: async (o) => {
    const { fake, banner } = await startGraphSimulator(o);
    return { banner, stop: () => fake.stop() };
  },
  sailpoint: (o) => startSailpointSimulator(o),
};

const USAGE = `usage: keybridge simulate <${Object.keys(SIMULATORS).join("|")}> [--port N]
  Runs a simulated vendor seeded with the shipped example's vendor references (iLOQ on port 8091,
  CLIQ on 8092, the Entra/Graph IdP on 8093, the Okta org on 8094, the SailPoint trigger sender on 8095
  unless --port is given) and prints the configuration that points the example at it. okta runs an Okta
  org whose System Log the tenant's poller reads; sailpoint sends ISC event triggers to keybridge's
  receiver when asked; both print how to send a leaver.
`;

function parsePort(argv: string[]): number | undefined | null {
  const i = argv.indexOf("--port");
  if (i < 0) return undefined;
  const port = Number(argv[i + 1]);
  return Number.isInteger(port) && port >= 0 && port < 65536 ? port : null;
}

export const simulateCommand: CliCommand = {
  name: "simulate",
  summary: "run a fake key-system vendor (iLOQ, CLIQ) or IdP (Entra Graph, Okta, SailPoint) stand-alone",
  usage: USAGE,
  async run(argv: string[]): Promise<number> {
    const start = argv[0] ? SIMULATORS[argv[0]] : undefined;
    const port = parsePort(argv);
    if (!start || port === null) {
      process.stderr.write(USAGE);
      return 2;
    }
    const sim = await start({ port });
    process.stdout.write(`${sim.banner}\nCtrl-C stops it.\n`);
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    await sim.stop();
    return 0;
  },
};

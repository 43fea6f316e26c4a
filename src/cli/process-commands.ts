// `keybridge serve` (SCIM API), `keybridge worker` (reconcile workers) and `keybridge start` (both — the
// workers in a supervised child process — and a private redis-server when none answers: what `npm start`
// runs), so a deployment can scale the API and the workers separately against one Redis.
import { runProcesses } from "../runtime/run-processes";
import type { CliCommand } from "./cli-command";

const ENVIRONMENT = `  Configuration: KEYBRIDGE_CONFIG (YAML or JSON file), PORT, HOST, REDIS_URL, KEYBRIDGE_MAPPINGS,
  LOG_LEVEL, KEYBRIDGE_API_PROCESSES, KEYBRIDGE_SECRET_<NAME>[_FILE]; "keybridge config check" validates them as start does.
  SIGTERM/SIGINT stop gracefully; SIGHUP reloads the mapping files.
`;

export const serveCommand: CliCommand = {
  name: "serve",
  summary: "run the SCIM 2.0 API only",
  usage: `usage: keybridge serve\n  Runs the SCIM 2.0 API on HOST:PORT against REDIS_URL (no workers).\n${ENVIRONMENT}`,
  run: () => runProcesses({ api: true, workers: false, ensureRedis: false }),
};

export const workerCommand: CliCommand = {
  name: "worker",
  summary: "run the reconcile workers only",
  usage: `usage: keybridge worker\n  Runs one reconcile worker per configured key system against REDIS_URL (no API).\n${ENVIRONMENT}`,
  run: () => runProcesses({ api: false, workers: true, ensureRedis: false }),
};

export const startCommand: CliCommand = {
  name: "start",
  summary: "run the API and the workers (starts a private redis-server if none answers)",
  usage: `usage: keybridge start\n  Runs the SCIM API, and the workers in a child process it restarts if it dies; starts a private\n  redis-server in KEYBRIDGE_DATA_DIR when nothing answers at REDIS_URL.\n${ENVIRONMENT}`,
  run: () => runProcesses({ api: true, workers: true, ensureRedis: true }),
};

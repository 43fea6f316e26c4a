// `keybridge serve` (SCIM API), `keybridge worker` (reconcile workers) and `keybridge start` (both, and a
// private redis-server when none answers: what `npm start` runs), so a deployment can scale the API and
// the workers separately against one Redis.
import { runProcesses } from "../runtime/run-processes";
import type { CliCommand } from "./cli-command";

export const serveCommand: CliCommand = {
  name: "serve",
  summary: "run the SCIM 2.0 API only",
  run: () => runProcesses({ api: true, workers: false, ensureRedis: false }),
};

export const workerCommand: CliCommand = {
  name: "worker",
  summary: "run the reconcile workers only",
  run: () => runProcesses({ api: false, workers: true, ensureRedis: false }),
};

export const startCommand: CliCommand = {
  name: "start",
  summary: "run the API and the workers (starts a private redis-server if none answers)",
  run: () => runProcesses({ api: true, workers: true, ensureRedis: true }),
};

// What the console's pages read and act on: the shared core of the process (directory, ledger,
// mappings, queues, audit), as the admin API and the CLI use it — the console keeps no state of its own.
import type { Core } from "../runtime/build-core";

export type ConsoleDeps = Pick<
  Core,
  | "config"
  | "logger"
  | "clock"
  | "redis"
  | "store"
  | "audit"
  | "mappings"
  | "access"
  | "ledger"
  | "queues"
  | "configured"
  | "newId"
  | "tenants"
  | "dirty"
>;

/** Who is signed in, as the admin auth middleware leaves it in `res.locals.actor`. */
export interface ConsoleActor {
  name: string;
  role: "viewer" | "operator" | "admin";
}

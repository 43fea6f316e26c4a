// What the operator commands (access reconcile, attention, work-items) open: the configuration, the
// mappings and one Redis connection, wired into the same OperatorDeps the pipeline's parts use.
import type { RedisClient } from "../store/create-redis-client";
import { AuditTrail } from "../audit/audit-trail";
import type { Config } from "../config/config-schema";
import { systemClock } from "../drivers/key-system-driver";
import type { OperatorDeps } from "../operations/operator-request";
import { GrantLedger } from "../reconcile/grant-ledger";
import { mappingAccessEvaluator } from "../reconcile/mapping-access-evaluator";
import { createReconcileQueues } from "../reconcile/reconcile-queues";
import { configuredSystems } from "../runtime/is-configured-system";
import { RedisDirectoryStore } from "../store/directory-store";
import { suspendingDirectory } from "../reconcile/suspending-directory";
import { randomUUID } from "node:crypto";
import { connectRedisOnce } from "../store/connect-redis-once";
import { loadConfig } from "../config/load-config";
import { loadCheckedMappings } from "../runtime/driver-scope-schemas";
import { defaultActor } from "./default-actor";
import type { CommandIo } from "./mappings-command";

export interface OperatorSession {
  config: Config;
  store: RedisDirectoryStore;
  ledger: GrantLedger;
  deps: OperatorDeps;
  redis: RedisClient;
  close(): Promise<void>;
}

/** Injected by tests; the real CLI reads the environment (REDIS_URL, KEYBRIDGE_CONFIG). */
export interface OperatorCliDeps {
  loadConfig: () => Config;
  io: CommandIo;
  /** The default actor when --actor is not given. */
  actor: (explicit: string | undefined) => string;
}

/** What the operator commands use outside tests: the process's config, stdio and `<user>@<host>`. */
export const defaultOperatorCliDeps: OperatorCliDeps = {
  loadConfig: () => loadConfig(),
  io: { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) },
  actor: defaultActor,
};

export async function openOperatorSession(config: Config): Promise<OperatorSession> {
  const mappings = loadCheckedMappings(config.mappingsDir);
  const redis = await connectRedisOnce(config);
  const store = new RedisDirectoryStore({ redis });
  const ledger = new GrantLedger(redis);
  const access = mappingAccessEvaluator(() => mappings);
  const queues = createReconcileQueues({
    connection: redis,
    systems: access.systems(),
    attempts: config.reconcile.attempts,
  });
  const deps: OperatorDeps = {
    directory: suspendingDirectory(store, redis),
    access,
    ledger,
    clock: systemClock,
    queues,
    audit: new AuditTrail({ redis }),
    configured: configuredSystems(config, () => mappings),
    redis,
    newId: randomUUID,
  };
  return {
    config,
    store,
    ledger,
    deps,
    redis,
    async close() {
      await queues.close();
      redis.disconnect();
    },
  };
}

/** Refuses a tenant the configuration does not know (a typo would otherwise read an empty tenant). */
export function checkTenant(config: Config, tenant: string, io: CommandIo): boolean {
  if (config.tenants.some((t) => t.id === tenant)) return true;
  const known = config.tenants.map((t) => t.id).join(", ") || "none";
  io.err(`unknown tenant ${tenant} (configured: ${known})\n`);
  return false;
}

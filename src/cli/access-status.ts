// `keybridge access status --tenant T --user U [--json]` (dispatched from `access status`): per key
// system, each desired and held grant with its state, exposureUntil, last error and rules.
import { parseArgs } from "node:util";
import type { Config } from "../config/config-schema";
import { loadConfig } from "../config/load-config";
import { systemClock } from "../drivers/key-system-driver";
import { loadCheckedMappings } from "../runtime/driver-scope-schemas";
import { GrantLedger } from "../reconcile/grant-ledger";
import { mappingAccessEvaluator } from "../reconcile/mapping-access-evaluator";
import { formatAccessStatus, readAccessStatus } from "../reconcile/read-access-status";
import { isConfiguredSystem } from "../runtime/build-drivers";
import { resolvePerson } from "../operations/resolve-person";
import { formatEntraLeave, readEntraLeaveAt } from "../signals/entra/entra-leave-status";
import { RedisDirectoryStore } from "../store/directory-store";
import { suspendingDirectory } from "../reconcile/suspending-directory";
import { connectRedisOnce } from "../store/connect-redis-once";

export const ACCESS_STATUS_USAGE =
  "usage: keybridge access status --tenant <tenant> --user <user id or userName> [--json]\n";

export interface AccessStatusCliDeps {
  loadConfig: () => Config;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const defaultDeps: AccessStatusCliDeps = {
  loadConfig: () => loadConfig(),
  stdout: process.stdout,
  stderr: process.stderr,
};

export async function runAccessStatus(
  argv: string[],
  deps: AccessStatusCliDeps = defaultDeps,
): Promise<number> {
  let values: { tenant?: string; user?: string; json?: boolean };
  try {
    values = parseArgs({
      args: argv,
      options: { tenant: { type: "string" }, user: { type: "string" }, json: { type: "boolean" } },
      strict: true,
    }).values;
  } catch (err) {
    deps.stderr.write(`keybridge access status: ${(err as Error).message}\n${ACCESS_STATUS_USAGE}`);
    return 2;
  }
  if (!values.tenant || !values.user) {
    deps.stderr.write(ACCESS_STATUS_USAGE);
    return 2;
  }
  const config = deps.loadConfig();
  const mappings = loadCheckedMappings(config.mappingsDir);
  const redis = await connectRedisOnce(config);
  try {
    const store = new RedisDirectoryStore({ redis });
    const personId = await resolvePerson(store, values.tenant, values.user);
    if (!personId) {
      deps.stderr.write(`keybridge access status: no user ${values.user} in tenant ${values.tenant}\n`);
      return 1;
    }
    const status = await readAccessStatus(
      {
        directory: suspendingDirectory(store, redis),
        access: mappingAccessEvaluator(() => mappings),
        ledger: new GrantLedger(redis),
        clock: systemClock,
        configured: (system) =>
          isConfiguredSystem(config, system, mappings.keySystems.get(system)?.driver ?? ""),
      },
      values.tenant,
      personId,
    );
    const entraLeaveAt = await readEntraLeaveAt(
      redis,
      config,
      values.tenant,
      await store.getUser(values.tenant, personId),
    );
    deps.stdout.write(
      values.json
        ? `${JSON.stringify(entraLeaveAt ? { ...status, entraLeaveAt } : status, null, 2)}\n`
        : formatAccessStatus(status) + formatEntraLeave(entraLeaveAt),
    );
    return 0;
  } finally {
    redis.disconnect();
  }
}

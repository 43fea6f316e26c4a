// Wires the signals core (signals/apply-signal.ts) onto the shared core, so every channel — hook
// receivers in the API, pollers in the workers — applies signals through the same enqueue path.
import type { SignalDeps } from "../signals/apply-signal";
import type { Core } from "./build-core";

export function buildSignalDeps(core: Core, options: Pick<SignalDeps, "dedupe"> = {}): SignalDeps {
  const joinKeys = new Map(core.config.tenants.map((t) => [t.id, t.signals?.joinKey ?? "externalId"]));
  const sessionsSuspend = new Set(
    core.config.tenants.filter((t) => t.signals?.sessionsRevoked === "suspend").map((t) => t.id),
  );
  const deps: SignalDeps = {
    redis: core.redis,
    store: core.store,
    auditOutbox: core.auditOutbox,
    logger: core.logger.child({ component: "signals" }),
    joinKey: (tenant) => joinKeys.get(tenant) ?? "externalId",
    sessionsRevokedSuspends: (tenant) => sessionsSuspend.has(tenant),
    directory: core.store,
    access: core.access,
    ledger: core.ledger,
    clock: core.clock,
    queues: core.queues,
    configured: core.configured,
    countSignal: (channel, status) => core.metrics.signals.inc({ channel, status }),
  };
  if (options.dedupe) deps.dedupe = options.dedupe;
  return deps;
}

// The parts every keybridge process shares, built from one Redis connection: directory store, audit
// trail, mappings, ledger, dirty set, queues and the SCIM → pipeline hook (ARCHITECTURE §1 wiring).
import { randomUUID } from "node:crypto";
import { duplicateRedisClient, type RedisClient } from "../store/create-redis-client";
import { AuditOutbox } from "../audit/audit-outbox";
import { AuditTrail } from "../audit/audit-trail";
import type { Config } from "../config/config-schema";
import { type Clock, systemClock } from "../drivers/key-system-driver";
import type { Logger } from "../log/logger";
import type { MappingHolder } from "../mapping/mapping-holder";
import { DirtySet } from "../reconcile/dirty-set";
import { createDirectoryChangeHook } from "../reconcile/directory-change-hook";
import { GrantLedger } from "../reconcile/grant-ledger";
import { mappingAccessEvaluator } from "../reconcile/mapping-access-evaluator";
import type { AccessEvaluator } from "../reconcile/reconcile-deps";
import { createReconcileQueues, type ReconcileQueues } from "../reconcile/reconcile-queues";
import type { DirectoryChangeHook } from "../store/directory-change";
import { RedisDirectoryStore } from "../store/directory-store";
import { replicasToWaitFor } from "../config/redis-schema";
import { confirmReplicated, warnIfTooFewReplicas } from "../store/replica-ack";
import type { DirectoryReader } from "../store/directory-types";
import { suspendingDirectory } from "../reconcile/suspending-directory";
import { registerCoreGauges } from "../metrics/core-gauges";
import { createMetrics, type Metrics } from "../metrics/metrics";
import { configuredSystems } from "./is-configured-system";

export interface Core {
  config: Config;
  logger: Logger;
  clock: Clock;
  redis: RedisClient;
  store: RedisDirectoryStore;
  /** The store as the pipeline reads it: with operators' emergency suspensions (suspending-directory.ts). */
  directory: DirectoryReader;
  audit: AuditTrail;
  /** Moves SCIM audit records committed with directory changes onto the chain. */
  auditOutbox: AuditOutbox;
  mappings: MappingHolder;
  access: AccessEvaluator;
  ledger: GrantLedger;
  dirty: DirtySet;
  queues: ReconcileQueues;
  hook: DirectoryChangeHook;
  /** The process's Prometheus registry and instruments (one per core: `start` has one). */
  metrics: Metrics;
  /** Whether a key system has connection settings (unconfigured ones defer, see enqueue-reconcile.ts). */
  configured: (system: string) => boolean;
  /**
   * Runs a write that an IdP is about to be told succeeded (a hook delivery queued) on the write
   * connection and, with `redis.waitReplicas`, returns only once the replicas hold it (replica-ack.ts);
   * otherwise it fails Unavailable, so the answer is a 5xx the IdP retries, never a 2xx a failover loses.
   * `slotKey`: a key the write touches (all its keys share one Redis Cluster slot); WAIT goes to that
   * slot's master on a cluster.
   */
  confirmWrite: <T>(write: (client: RedisClient) => Promise<T>, slotKey: string) => Promise<T>;
  newId: () => string;
  tenants: () => Promise<string[]>;
  close(): Promise<void>;
}

export interface CoreOptions {
  /** Injected time (tests: deterministic; default: the system clock). */
  clock?: Clock;
  /** Persons a directory change enqueues before the SCIM answer (default 500, ARCHITECTURE §2). */
  inlinePersons?: number;
  /** The process's metrics (default: a fresh registry with the queue and exposure gauges). */
  metrics?: Metrics;
}

export function buildCore(
  config: Config,
  logger: Logger,
  redis: RedisClient,
  mappings: MappingHolder,
  options: CoreOptions = {},
): Core {
  const clock = options.clock ?? systemClock;
  const access = mappingAccessEvaluator(() => mappings.current);
  const replicaAck = { replicas: replicasToWaitFor(config.redis), timeoutMs: config.redis.waitTimeoutMs };
  // WAIT blocks the connection it runs on: with it, directory writes get a connection of their own, so
  // a write waiting for its replicas does not hold up reads and the admission step behind it.
  const writeConnection = replicaAck.replicas > 0 ? duplicateRedisClient(redis, {}) : undefined;
  // The request path's options connect lazily and queue nothing offline: connect now (in the background,
  // retried by its retryStrategy), so the first write does not find the connection still waiting.
  if (writeConnection?.status === "wait") writeConnection.connect().catch(() => undefined);
  // A waitReplicas the Redis cannot meet turns every write into a 503: say so once, at start.
  warnIfTooFewReplicas(redis, replicaAck, logger).catch(() => undefined);
  const store = new RedisDirectoryStore({
    redis,
    clock: () => clock.now(),
    replicaAck,
    ...(writeConnection ? { writeRedis: writeConnection } : {}),
  });
  const writeRedis = writeConnection ?? redis;
  const confirmWrite = <T>(write: (client: RedisClient) => Promise<T>, slotKey: string) =>
    confirmReplicated(writeRedis, replicaAck, () => write(writeRedis), slotKey);
  const directory = suspendingDirectory(store, redis);
  const audit = new AuditTrail({ redis, clock });
  const auditOutbox = new AuditOutbox({ redis, audit, logger, replicaAck });
  const ledger = new GrantLedger(redis);
  const configured = configuredSystems(config, () => mappings.current);
  // A person is clean once every configured system reconciled them; an unconfigured system keeps its
  // own deferred outbox, so it does not hold persons dirty (and the sweeper busy) for ever.
  const dirty = new DirtySet(redis, () => access.systems().filter(configured));
  // BullMQ defines its ~60 Lua scripts on the connection it is given, and ioredis copies every defined
  // script into each pipeline it builds — with auto-pipelining, one per event-loop turn. A connection of
  // its own keeps that cost off the SCIM request path's client (measured: ~6% of service CPU).
  const queueConnection = duplicateRedisClient(redis, { enableAutoPipelining: false });
  const queues = createReconcileQueues({
    connection: queueConnection,
    systems: access.systems(),
    attempts: config.reconcile.attempts,
  });
  const hook = createDirectoryChangeHook({
    directory,
    access,
    ledger,
    clock,
    queues,
    auditOutbox,
    logger,
    inlinePersons: options.inlinePersons,
    configured,
    redis,
  });
  const tenants = async () => config.tenants.map((t) => t.id);
  const metrics = options.metrics ?? createMetrics();
  registerCoreGauges(metrics, { queues, configured, redis, ledger, clock, tenants });
  return {
    config,
    logger,
    clock,
    redis,
    store,
    directory,
    audit,
    auditOutbox,
    mappings,
    access,
    ledger,
    dirty,
    queues,
    hook,
    configured,
    confirmWrite,
    newId: randomUUID,
    tenants,
    metrics,
    async close() {
      await queues.close();
      queueConnection.disconnect();
      writeConnection?.disconnect();
    },
  };
}

// The real pipeline for integration tests, built by src/runtime's buildCore and buildDrivers (what
// `keybridge worker` runs) on the test Redis, with the mappings from test/integration/mappings and
// memory drivers; the test drives directory writes and the workers' start and stop itself.
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import type { RedisClient } from "../../src/store/create-redis-client";
import type { MemoryDriver } from "../../connectors/memory/memory-driver";
import { holderExternalId } from "../../src/access/holder-spec";
import type { Config } from "../../src/config/config-schema";
import { parseConfig } from "../../src/config/load-config";
import { type Clock, systemClock } from "../../src/drivers/key-system-driver";
import { silentLogger } from "../../src/log/logger";
import { MappingHolder } from "../../src/mapping/mapping-holder";
import type { GrantLedger } from "../../src/reconcile/grant-ledger";
import type { ReconcileDeps } from "../../src/reconcile/reconcile-deps";
import { type ReconcileWorkers, startReconcileWorkers } from "../../src/reconcile/reconcile-workers";
import { buildCore } from "../../src/runtime/build-core";
import { buildDrivers } from "../../src/runtime/build-drivers";
import { reconcileDeps } from "../../src/runtime/start-workers";
import type { DirectoryChange, DirectoryChangeHook } from "../../src/store/directory-change";
import type { WriteResult } from "../../src/store/directory-store-api";
import type { RedisDirectoryStore } from "../../src/store/directory-store";
import { CORE_GROUP_URN, CORE_USER_URN, KEYBRIDGE_USER_URN } from "../../src/store/directory-types";

export const TENANT = "acme";
export const MAPPINGS_DIR = join(__dirname, "mappings");

export interface HarnessOptions {
  mode?: "observe" | "enforce";
  /** Memory driver options per system (faults, latency, programming delays, redisUrl…). */
  memory?: Record<string, Record<string, unknown>>;
  concurrency?: number;
  attempts?: number;
  backoffMs?: number;
  startWorkers?: boolean;
  clock?: Clock;
  confirmAfterMs?: number;
  /** The hook's inline limit (persons per change enqueued before the hook returns). */
  inlinePersons?: number;
}

/** Where the harness gets its Redis connections (a TestRedis, or a URL in a child process). */
export interface RedisSource {
  client(): RedisClient;
}

export interface Harness {
  redis: RedisClient;
  store: RedisDirectoryStore;
  deps: ReconcileDeps;
  hook: DirectoryChangeHook;
  drivers: Map<string, MemoryDriver>;
  ledger: GrantLedger;
  config: Config;
  workers: ReconcileWorkers | null;
  startWorkers(): ReconcileWorkers;
  /** Commits a directory write and calls the hook, as the SCIM edge does for one request. */
  commit<T>(
    resource: { type: "User" | "Group"; id?: string; operation: DirectoryChange["operation"] },
    write: (ctx: { correlationId: string }) => Promise<WriteResult<T>>,
  ): Promise<T>;
  createUser(userName: string, extra?: Record<string, unknown>): Promise<string>;
  createGroup(displayName: string, members: string[]): Promise<string>;
  addMembers(groupId: string, members: string[]): Promise<void>;
  removeMembers(groupId: string, members: string[]): Promise<void>;
  setActive(userId: string, active: boolean): Promise<void>;
  setValidUntil(userId: string, until: string | undefined): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(testRedis: RedisSource, options: HarnessOptions = {}): Promise<Harness> {
  const redis = testRedis.client();
  const clock = options.clock ?? systemClock;
  const mappings = new MappingHolder(MAPPINGS_DIR);
  const keySystems: Record<string, unknown> = {};
  for (const system of mappings.current.keySystems.keys()) {
    keySystems[system] = {
      mode: options.mode ?? "enforce",
      concurrency: options.concurrency ?? 4,
      options: options.memory?.[system] ?? {},
    };
  }
  const config = parseConfig({
    tenants: [{ id: TENANT, displayName: TENANT, kind: "generic" }],
    keySystems,
    reconcile: {
      attempts: options.attempts ?? 4,
      backoffMs: options.backoffMs ?? 50,
      resyncEveryMs: 3_600_000,
      confirmAfterMs: options.confirmAfterMs ?? 300,
    },
  });
  // The parts `keybridge worker` builds (src/runtime), on the test's Redis connection; the workers are
  // started below with test knobs (fixed jitter, short lock) that the runtime leaves at their defaults.
  const logger = silentLogger();
  const core = buildCore(config, logger, redis, mappings, {
    clock,
    inlinePersons: options.inlinePersons,
  });
  const built = buildDrivers(config, mappings.current, core);
  const drivers = built.drivers as Map<string, MemoryDriver>;
  const deps: ReconcileDeps = reconcileDeps(core, built);
  const { store, ledger, hook } = core;
  const ctx = () => ({ correlationId: `req-${randomUUID()}` });
  const harness: Harness = {
    redis,
    store,
    deps,
    hook,
    drivers,
    ledger,
    config,
    workers: null,
    startWorkers() {
      harness.workers = startReconcileWorkers({
        ...deps,
        connection: redis,
        config,
        tenants: async () => [TENANT],
        random: () => 0.5,
      });
      return harness.workers;
    },
    async commit(resource, write) {
      const c = ctx();
      const result = await write(c);
      const id = resource.id ?? (result.resource as { id?: string } | null)?.id ?? "";
      await hook({
        tenant: TENANT,
        correlationId: c.correlationId,
        resourceType: resource.type,
        resourceId: id,
        operation: resource.operation,
        persons: result.changes,
        at: clock.now().toISOString(),
      });
      return result.resource;
    },
    async createUser(userName, extra = {}) {
      const user = await harness.commit({ type: "User", operation: "create" }, (c) =>
        store.createUser(TENANT, { schemas: [CORE_USER_URN], userName, active: true, ...extra }, c),
      );
      return user.id;
    },
    async createGroup(displayName, members) {
      const group = await harness.commit({ type: "Group", operation: "create" }, (c) =>
        store.createGroup(TENANT, { schemas: [CORE_GROUP_URN], displayName }, members, c),
      );
      return group.id;
    },
    async addMembers(groupId, members) {
      await harness.commit({ type: "Group", id: groupId, operation: "patch" }, (c) =>
        store.changeMembers(TENANT, groupId, { add: members }, c),
      );
    },
    async removeMembers(groupId, members) {
      await harness.commit({ type: "Group", id: groupId, operation: "patch" }, (c) =>
        store.changeMembers(TENANT, groupId, { remove: members }, c),
      );
    },
    async setActive(userId, active) {
      await harness.commit({ type: "User", id: userId, operation: "patch" }, (c) =>
        store.updateUser(TENANT, userId, ({ id: _id, meta: _meta, ...u }) => ({ ...u, active }), c),
      );
    },
    async setValidUntil(userId, until) {
      await harness.commit({ type: "User", id: userId, operation: "patch" }, (c) =>
        store.updateUser(
          TENANT,
          userId,
          ({ id: _id, meta: _meta, ...u }) => ({
            ...u,
            schemas: [CORE_USER_URN, KEYBRIDGE_USER_URN],
            [KEYBRIDGE_USER_URN]: until ? { accessValidUntil: until } : {},
          }),
          c,
        ),
      );
    },
    async close() {
      if (harness.workers) await harness.workers.close();
      else for (const d of drivers.values()) await d.close();
      await core.close();
    },
  };
  if (options.startWorkers !== false) harness.startWorkers();
  return harness;
}

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
  what = "condition",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Bridge grants the simulated key system holds for a person (planned, on live credentials). */
export async function heldRefs(h: Harness, system: string, personId: string): Promise<string[]> {
  const driver = h.drivers.get(system);
  if (!driver) throw new Error(`no driver ${system}`);
  const obs = await driver.observe(holderExternalId(TENANT, system, personId));
  return obs.credentials
    .filter((c) => c.status !== "returned" && c.status !== "blocked" && c.status !== "lost")
    .flatMap((c) => c.plannedGrants.map((g) => g.vendorRef))
    .sort();
}

/** Whether every queue is idle: nothing waiting, delayed-due, or running. */
export async function queuesIdle(h: Harness): Promise<boolean> {
  for (const system of h.deps.queues.systems()) {
    const c = await h.deps.queues
      .queue(system)
      .getJobCounts("active", "wait", "prioritized", "waiting-children");
    if (Object.values(c).some((n) => n > 0)) return false;
  }
  return true;
}

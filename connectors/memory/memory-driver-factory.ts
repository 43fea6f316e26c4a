// Builds memory drivers (driver name "memory") from validated options: in-process state by default,
// Redis-backed when options.redisUrl is set so several processes share one simulated key system.
import type { Clock, DriverDeps, DriverFactory } from "../../src/drivers/key-system-driver";
import { InProcessMemoryState } from "./in-process-memory-state";
import { MemoryDriver } from "./memory-driver";
import { MemoryKeySystem } from "./memory-key-system";
import { type MemoryOptions, memoryWebhookSecret, parseMemoryOptions } from "./memory-options";
import type { MemoryStateStore } from "./memory-state";
import { memoryScopeSchema } from "./memory-scope";
import { RedisMemoryState } from "./redis-memory-state";

function openStore(systemId: string, options: MemoryOptions): MemoryStateStore {
  return options.redisUrl
    ? new RedisMemoryState(options.redisUrl, options.keyPrefix, systemId, options.redisClusterNodes)
    : new InProcessMemoryState();
}

/**
 * Opens the simulated key system a memory driver with these options uses, for its control plane
 * (a pipeline test counting vendor writes with `writeCount()`, a demo advancing programming).
 * With in-process state it is a fresh system; share one through Redis to see a driver's state.
 */
export function openMemoryKeySystem(
  systemId: string,
  options: unknown,
  clock: Clock,
  secrets: Readonly<Record<string, string>> = {},
): MemoryKeySystem {
  const parsed = parseMemoryOptions(systemId, options);
  const secret = memoryWebhookSecret(systemId, parsed, secrets);
  return new MemoryKeySystem(openStore(systemId, parsed), clock, parsed, secret);
}

export const memoryDriverFactory: DriverFactory = {
  driver: "memory",
  capabilities: { schedules: true, credentialKinds: ["phone", "tag", "physical"] },
  scopeSchema: memoryScopeSchema,
  create(systemId: string, options: unknown, deps: DriverDeps): MemoryDriver {
    const parsed = parseMemoryOptions(systemId, options);
    const secret = memoryWebhookSecret(systemId, parsed, deps.secrets);
    const keySystem = new MemoryKeySystem(openStore(systemId, parsed), deps.clock, parsed, secret);
    return new MemoryDriver(systemId, keySystem, parsed, deps, secret);
  },
};

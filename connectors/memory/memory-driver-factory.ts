// Builds memory drivers (driver name "memory") from validated options: in-process state by default,
// Redis-backed when options.redisUrl is set so several processes share one simulated key system.
import type { Clock, DriverDeps, DriverFactory } from "../../src/drivers/key-system-driver";
import { InProcessMemoryState } from "./in-process-memory-state";
import { MemoryDriver } from "./memory-driver";
import { MemoryKeySystem } from "./memory-key-system";
import { type MemoryOptions, parseMemoryOptions } from "./memory-options";
import type { MemoryStateStore } from "./memory-state";
import { RedisMemoryState } from "./redis-memory-state";

function openStore(systemId: string, options: MemoryOptions): MemoryStateStore {
  return options.redisUrl
    ? new RedisMemoryState(options.redisUrl, options.keyPrefix, systemId)
    : new InProcessMemoryState();
}

/**
 * Opens the simulated key system a memory driver with these options uses, for its control plane
 * (a pipeline test counting vendor writes with `writeCount()`, a demo advancing programming).
 * With in-process state it is a fresh system; share one through Redis to see a driver's state.
 */
export function openMemoryKeySystem(systemId: string, options: unknown, clock: Clock): MemoryKeySystem {
  const parsed = parseMemoryOptions(systemId, options);
  return new MemoryKeySystem(openStore(systemId, parsed), clock, parsed);
}

export const memoryDriverFactory: DriverFactory = {
  driver: "memory",
  create(systemId: string, options: unknown, deps: DriverDeps): MemoryDriver {
    const parsed = parseMemoryOptions(systemId, options);
    const keySystem = new MemoryKeySystem(openStore(systemId, parsed), deps.clock, parsed);
    return new MemoryDriver(systemId, keySystem, parsed, deps);
  },
};

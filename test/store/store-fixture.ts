// A RedisDirectoryStore on a private test Redis with a controllable clock and predictable ids.
import type { RedisClient } from "../../src/store/create-redis-client";
import type { UserInput, WriteContext } from "../../src/store/directory-store-api";
import { CORE_USER_URN, ENTERPRISE_USER_URN } from "../../src/store/directory-types";
import { RedisDirectoryStore } from "../../src/store/directory-store";
import { type TestRedis, startTestRedis } from "../helpers/test-redis";

export interface StoreFixture {
  redis: TestRedis;
  client: RedisClient;
  store: RedisDirectoryStore;
  /** The store's clock; tests move it. */
  clock: { now: Date };
  reset(): Promise<void>;
}

export const ctx: WriteContext = { correlationId: "test" };

export async function startStoreFixture(options: { maxCandidates?: number } = {}): Promise<StoreFixture> {
  const redis = await startTestRedis();
  const client = redis.client();
  const clock = { now: new Date("2026-01-01T00:00:00.000Z") };
  let counter = 0;
  const newId = () => `id-${String(++counter).padStart(6, "0")}`;
  const store = new RedisDirectoryStore({ redis: client, clock: () => clock.now, newId, ...options });
  return {
    redis,
    client,
    store,
    clock,
    async reset() {
      await redis.flush();
      counter = 0;
      clock.now = new Date("2026-01-01T00:00:00.000Z");
    },
  };
}

export function userInput(userName: string, extra: Partial<UserInput> = {}): UserInput {
  return { schemas: [CORE_USER_URN], userName, active: true, ...extra };
}

export function withManager(managerId: string): Partial<UserInput> {
  return {
    schemas: [CORE_USER_URN, ENTERPRISE_USER_URN],
    [ENTERPRISE_USER_URN]: { manager: { value: managerId } },
  };
}

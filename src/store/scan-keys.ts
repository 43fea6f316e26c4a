// Walks the keys matching a pattern with SCAN, on every master of a Redis Cluster (SCAN sees only the
// node it runs on) or on the one Redis. Rare reads only (reports, gauges): the request path uses indexes.
import { type RedisClient, redisMasters } from "./create-redis-client";

/** Yields the keys of each SCAN reply (possibly empty batches); stop early with `break`. */
export async function* scanKeys(redis: RedisClient, match: string, count: number): AsyncGenerator<string[]> {
  const masters = redisMasters(redis);
  // A cluster client learns its masters on connecting: none would silently scan nothing.
  if (masters.length === 0) throw new Error("no Redis Cluster master is connected");
  for (const node of masters) {
    let cursor = "0";
    do {
      const [next, keys] = await node.scan(cursor, "MATCH", match, "COUNT", count);
      cursor = next;
      yield keys;
    } while (cursor !== "0");
  }
}

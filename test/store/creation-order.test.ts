// A filter's matches are paged in creation order (RFC 7644 §3.4.2.4 needs a stable order across pages):
// scored in chunks so 10,000 matches never block the event loop in one turn (issue #9 item 3), the
// order must still be the one of the whole list, with ids deleted meanwhile left out.
import { inCreationOrder } from "../../src/store/creation-order";
import type { RedisClient } from "../../src/store/create-redis-client";
import { redisKeys } from "../../src/store/redis-keys";
import { type TestRedis, startTestRedis } from "../helpers/test-redis";

let redis: TestRedis;
let client: RedisClient;
const order = redisKeys.directoryOrder("t1", "user");

beforeAll(async () => {
  redis = await startTestRedis();
  client = redis.client();
});
afterAll(async () => {
  client.disconnect();
  await redis.stop();
});
beforeEach(() => redis.flush());

/** `n` ids created in the order u0, u1, …: u<i> has sequence i. */
async function created(n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, (_, i) => `u${i}`);
  for (let i = 0; i < n; i += 1_000)
    await client.zadd(order, ...ids.slice(i, i + 1_000).flatMap((id, j) => [i + j, id]));
  return ids;
}

/** A fixed shuffle (no randomness in the test): every 7th id, wrapping round. */
const shuffled = (ids: string[]) => ids.map((_, i) => ids[(i * 7) % ids.length] as string);

it("orders matches that span several chunks by creation, whatever order they were matched in", async () => {
  const ids = await created(10);
  expect(shuffled(ids)).not.toEqual(ids);
  expect(await inCreationOrder(client, order, shuffled(ids), 3)).toEqual(ids);
  expect(await inCreationOrder(client, order, [...ids].reverse(), 4)).toEqual(ids);
});

it("leaves out ids that no longer exist, in any chunk, and keeps the rest in order", async () => {
  const ids = await created(10);
  await client.zrem(order, "u0", "u5", "u9");
  const input = ["gone-a", ...shuffled(ids), "gone-b"];
  expect(await inCreationOrder(client, order, input, 3)).toEqual(
    ids.filter((id) => !["u0", "u5", "u9"].includes(id)),
  );
  expect(await inCreationOrder(client, order, ["gone-a", "gone-b"], 1)).toEqual([]);
  expect(await inCreationOrder(client, order, [], 3)).toEqual([]);
});

it("orders a whole directory of matches (an OR of prefix terms over 2,500 users) with the default chunk", async () => {
  const ids = await created(2_500);
  expect(await inCreationOrder(client, order, shuffled(ids))).toEqual(ids);
});

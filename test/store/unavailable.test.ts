// Redis failures on the request path surface as BridgeError("Unavailable") promptly (the edge answers
// 503, never 404), with the recommended client options; the store recovers when Redis returns.
import { Redis } from "ioredis";
import { isBridgeError } from "../../src/errors/bridge-error";
import { RedisDirectoryStore } from "../../src/store/directory-store";
import { REQUEST_PATH_REDIS_OPTIONS } from "../../src/store/redis-client-options";
import { type TestRedis, startTestRedis } from "../helpers/test-redis";
import { ctx, userInput } from "./store-fixture";

let redis: TestRedis;
const clients: Redis[] = [];

async function connectedStore(options: Partial<typeof REQUEST_PATH_REDIS_OPTIONS> = {}) {
  const client = new Redis(redis.url, { ...REQUEST_PATH_REDIS_OPTIONS, ...options });
  clients.push(client);
  await client.connect();
  return new RedisDirectoryStore({ redis: client });
}

const kindOf = (p: Promise<unknown>) =>
  p.then(
    () => "resolved",
    (e: unknown) => (isBridgeError(e) ? e.kind : String(e)),
  );

beforeEach(async () => {
  redis = await startTestRedis();
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  await redis.stop();
});

it("a stopped Redis gives Unavailable on reads, queries and writes, without hanging", async () => {
  const store = await connectedStore();
  const ada = await store.createUser("t1", userInput("ada"), ctx);
  await redis.stop();
  const outcomes = await Promise.all([
    kindOf(store.getUser("t1", ada.resource.id)),
    kindOf(store.queryUsers("t1", { filter: null, startIndex: 1, count: 10 })),
    kindOf(store.createUser("t1", userInput("bob"), ctx)),
    kindOf(store.changeMembers("t1", "g", { add: [ada.resource.id] }, ctx)),
    kindOf(store.getPerson("t1", ada.resource.id)),
  ]);
  expect(outcomes).toEqual(["Unavailable", "Unavailable", "Unavailable", "Unavailable", "Unavailable"]);
}, 5_000);

it("a Redis that stops answering gives Unavailable after the command timeout", async () => {
  const store = await connectedStore({ commandTimeout: 100 });
  const admin = new Redis(redis.url);
  clients.push(admin);
  // CLIENT PAUSE holds every other client's commands, as a stalled Redis would.
  await admin.call("CLIENT", "PAUSE", "1000", "ALL");
  expect(await kindOf(store.getUser("t1", "x"))).toBe("Unavailable");
}, 15_000);

it("works again after Redis comes back, reloading its scripts", async () => {
  const store = await connectedStore();
  await store.createUser("t1", userInput("ada"), ctx);
  await redis.restart();
  for (let i = 0; i < 100; i++) {
    if ((await kindOf(store.getUser("t1", "x"))) === "resolved") break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const bob = await store.createUser("t1", userInput("bob"), ctx);
  expect(await store.getUser("t1", bob.resource.id)).toEqual(bob.resource);
}, 10_000);

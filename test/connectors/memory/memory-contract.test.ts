// The memory driver passes the shared contract suite, with in-process state and with Redis-backed state.
import { runDriverContractSuite } from "../../contract/driver-contract-suite";
import { startTestRedis, type TestRedis } from "../../helpers/test-redis";
import { createMemoryHarness } from "./memory-harness";

runDriverContractSuite(createMemoryHarness());

let redis: TestRedis | undefined;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.stop();
});

runDriverContractSuite(
  createMemoryHarness({
    name: "memory (Redis-backed state)",
    redisUrl: () => redis!.url,
    beforeSetup: () => redis!.flush(),
  }),
);

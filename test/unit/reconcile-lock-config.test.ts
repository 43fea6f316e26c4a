// The BullMQ lock settings come from the config schema: defaults that recover a killed worker's job
// within the 15 s target (lock + stalled-check interval), and no stalled check slower than the lock.
import { configSchema } from "../../src/config/config-schema";

it("defaults to an 8 s lock and a 3 s stalled check (≤ 11 s to restart an interrupted job)", () => {
  const { reconcile } = configSchema.parse({});
  expect([reconcile.lockDurationMs, reconcile.stalledIntervalMs]).toEqual([8_000, 3_000]);
  expect(reconcile.lockDurationMs + reconcile.stalledIntervalMs).toBeLessThanOrEqual(15_000);
});

it("refuses a stalled-check interval longer than the lock, naming the key", () => {
  const result = configSchema.safeParse({ reconcile: { lockDurationMs: 5_000, stalledIntervalMs: 6_000 } });
  expect(result.success).toBe(false);
  expect(result.error?.issues[0]?.path).toEqual(["reconcile", "stalledIntervalMs"]);
});

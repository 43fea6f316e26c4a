// The worker process supervisor: restart delays grow while a child keeps dying young and reset once it
// has lived long enough; a real child killed with SIGKILL is started again, and stop() ends it for good.
import { spawn } from "node:child_process";
import { silentLogger } from "../../src/log/logger";
import { nextRestartDelay, superviseChild } from "../../src/runtime/supervise-child";

const LIMITS = { minDelayMs: 500, maxDelayMs: 15_000, healthyAfterMs: 30_000 };

test("restart delay: minimum first, doubling while the child dies young, capped, reset when healthy", () => {
  expect(nextRestartDelay(0, 100, LIMITS)).toBe(500);
  expect(nextRestartDelay(500, 100, LIMITS)).toBe(1000);
  expect(nextRestartDelay(1000, 29_999, LIMITS)).toBe(2000);
  expect(nextRestartDelay(12_000, 100, LIMITS)).toBe(15_000);
  expect(nextRestartDelay(15_000, 30_000, LIMITS)).toBe(500);
});

test("a SIGKILLed child is started again; stop() ends it and starts no other", async () => {
  const spawned: number[] = [];
  const supervisor = superviseChild({
    name: "sleeper",
    logger: silentLogger(),
    minDelayMs: 50,
    spawn: () => {
      const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
      spawned.push(child.pid ?? 0);
      return child;
    },
  });
  const first = supervisor.pid();
  expect(first).toBe(spawned[0]);
  process.kill(first ?? 0, "SIGKILL");
  for (let i = 0; i < 100 && spawned.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
  expect(spawned).toHaveLength(2);
  const second = supervisor.pid();
  expect(second).toBe(spawned[1]);
  await supervisor.stop();
  expect(() => process.kill(second ?? 0, 0)).toThrow();
  await new Promise((r) => setTimeout(r, 200));
  expect(spawned).toHaveLength(2);
});

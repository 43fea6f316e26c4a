// An unauthenticated flood at the hook receivers must not write one log line per request: refusals are
// logged once per channel every 10 s with a count, and the tenant from the path is cut short.
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import express from "express";
import { createLogger } from "../../src/log/logger";
import { HOOK_LOG, hookRoutes } from "../../src/signals/hook-routes";
import type { SignalInbox } from "../../src/signals/signal-inbox";

test("a flood of wrong secrets and unknown tenants is logged as one warning per channel", async () => {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const pushed: unknown[] = [];
  // Refused requests never reach the inbox; it records any push so the test would see one.
  const inbox = { push: async (...args: unknown[]) => void pushed.push(args) } as unknown as SignalInbox;
  const app = express().use(
    "/hooks",
    hookRoutes({
      settings: {
        okta: new Map([["t1", { header: "authorization", value: "s3cret" }]]),
        sailpoint: new Map(),
      },
      inbox,
      logger: createLogger("info", stream),
      clock: () => new Date(),
    }),
  );
  const server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  try {
    const long = "t".repeat(5_000);
    for (let i = 0; i < 40; i++) {
      const tenant = i % 2 === 0 ? "t1" : `${long}${i}`;
      const res = await fetch(`${base}/okta/${tenant}`, {
        method: "POST",
        headers: { authorization: "wrong" },
        body: "{}",
      });
      expect(res.status).toBe(401);
    }
  } finally {
    await new Promise((r) => server.close(r));
  }
  const lines = chunks
    .join("")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const refusals = lines.filter((l) => l.msg === HOOK_LOG.rejected);
  expect(refusals).toHaveLength(1);
  expect(String(refusals[0]?.tenant).length).toBeLessThanOrEqual(64);
  expect(pushed).toEqual([]);
});

// The hook answers a small change only after its enqueues (a leaver's revocation is queued before the
// IdP hears back), but a change beyond the inline limit right after its audit record moved onto the
// chain, enqueueing behind. A failed move never fails the committed change: the record is in the
// outbox (test/audit/audit-outbox.test.ts shows the later move).
import {
  createDirectoryChangeHook,
  type DirectoryChangeHookDeps,
  HOOK_LOG,
} from "../../src/reconcile/directory-change-hook";
import type { ReconcileQueues } from "../../src/reconcile/reconcile-queues";
import type { DirectoryChange } from "../../src/store/directory-change";
import { createLogger, type Logger, silentLogger } from "../../src/log/logger";
import { PassThrough } from "node:stream";

function setup(options: { auditFailures?: number; logger?: Logger } = {}) {
  let failures = options.auditFailures ?? 0;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const enqueued: string[] = [];
  const audited: string[] = [];
  const queues = {
    systems: () => ["lockhall"],
    enqueue: async (_system: string, data: { personId: string }) => {
      await gate;
      enqueued.push(data.personId);
    },
  } as unknown as ReconcileQueues;
  const deps = {
    queues,
    auditOutbox: {
      move: async (tenant: string) => {
        if (failures-- > 0) throw new Error("Redis went away");
        audited.push(tenant);
        return 1;
      },
    },
    logger: options.logger ?? silentLogger(),
    inlinePersons: 10,
  } as unknown as DirectoryChangeHookDeps; // "created" changes need no directory, ledger or mappings
  return { hook: createDirectoryChangeHook(deps), open, enqueued, audited };
}

const change = (persons: number): DirectoryChange => ({
  tenant: "acme",
  correlationId: "req-1",
  resourceType: "Group",
  resourceId: "g1",
  operation: "create",
  persons: Array.from({ length: persons }, (_, i) => ({ personId: `p${i}`, kind: "created", generation: 1 })),
  at: "2026-11-26T12:00:00.000Z",
});

const settled = (p: Promise<unknown>) =>
  Promise.race([p.then(() => "resolved"), new Promise((r) => setTimeout(() => r("pending"), 50))]);

test("a change within the inline limit returns only once its persons are enqueued", async () => {
  const { hook, open, enqueued } = setup();
  const call = hook(change(10));
  expect(await settled(call)).toBe("pending");
  open();
  await call;
  expect(enqueued).toHaveLength(10);
});

test("a larger change returns after its audit record and enqueues every person behind it", async () => {
  const { hook, open, enqueued, audited } = setup();
  expect(await settled(hook(change(25)))).toBe("resolved");
  expect(audited).toHaveLength(1);
  expect(enqueued).toHaveLength(0);
  open();
  for (let i = 0; i < 50 && enqueued.length < 25; i++) await new Promise((r) => setTimeout(r, 10));
  expect(enqueued.sort()).toEqual(Array.from({ length: 25 }, (_, i) => `p${i}`).sort());
});

test("an outbox move that fails after the commit does not fail the change, and is logged", async () => {
  const lines: string[] = [];
  const stream = new PassThrough();
  stream.on("data", (chunk) => lines.push(...String(chunk).split("\n").filter(Boolean)));
  const { hook, open, enqueued, audited } = setup({ auditFailures: 1, logger: createLogger("warn", stream) });
  open();
  await hook(change(3)); // resolves: the change and its record are committed whatever the move does
  expect(enqueued).toHaveLength(3);
  expect(audited).toHaveLength(0);
  for (let i = 0; i < 50 && lines.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  expect(lines.some((l) => l.includes(HOOK_LOG.auditMoveFailed))).toBe(true);
});

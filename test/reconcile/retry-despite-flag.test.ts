// Which flagged persons the overdue-timer backstop still reconciles: only a look that takes access away
// after a transient failure; a permanent or manual failure, or a grant, stays with its flag.
import type { AttentionFlag } from "../../src/reconcile/grant-ledger";
import type { LedgerEntry, PersonLedger } from "../../src/reconcile/ledger-entry";
import { retryDespiteFlag } from "../../src/reconcile/dirty-sweeper";

const NOW = Date.parse("2026-12-08T03:00:00Z");
const flag = (kind: AttentionFlag["kind"]): AttentionFlag => ({
  system: "lockhall",
  personId: "p1",
  kind,
  at: "2026-12-08T02:00:00Z",
});
const entry = (action: LedgerEntry["action"], state: LedgerEntry["state"]): LedgerEntry => ({
  profile: "office",
  action,
  state,
  vendorRefs: [],
  reasons: [],
  requestedAt: "2026-12-08T01:00:00Z",
  updatedAt: "2026-12-08T01:00:00Z",
});
const endPassed: PersonLedger = {
  holder: { timers: { valid_until: "2026-12-08T02:30:00Z" } },
  entries: [entry("grant", "effective")],
};

it("retries a passed validity end after a transient failure", () => {
  expect(retryDespiteFlag(flag("retries_exhausted"), endPassed, NOW)).toBe(true);
  expect(retryDespiteFlag(flag("revocation_failing"), endPassed, NOW)).toBe(true);
});

it("retries a revocation still pending at the locks after a transient failure", () => {
  const pendingRevoke: PersonLedger = {
    holder: { timers: { confirm: "2026-12-08T02:59:00Z" } },
    entries: [entry("revoke", "pending_programming")],
  };
  expect(retryDespiteFlag(flag("retries_exhausted"), pendingRevoke, NOW)).toBe(true);
});

it("leaves permanent and manual failures to their flag", () => {
  for (const kind of ["permanent", "manual_action", "manual_task"] as const)
    expect(retryDespiteFlag(flag(kind), endPassed, NOW)).toBe(false);
});

it("leaves a pending grant or a future end to the flag", () => {
  const pendingGrant: PersonLedger = {
    holder: { timers: { confirm: "2026-12-08T02:59:00Z", valid_until: "2026-12-09T00:00:00Z" } },
    entries: [entry("grant", "pending_programming")],
  };
  expect(retryDespiteFlag(flag("retries_exhausted"), pendingGrant, NOW)).toBe(false);
});

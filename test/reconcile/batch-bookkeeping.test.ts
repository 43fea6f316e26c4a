// Which persons a resync batch may settle with bookkeeping alone (reconcile/batch-bookkeeping.ts): only
// those for whom reconcilePerson would write nothing but the holder record. Each case names what the
// per-person run would still have to do.
import type { DesiredGrant } from "../../src/access/desired-grant";
import type { Plan } from "../../src/access/plan-changes";
import type { CredentialState, Observation } from "../../src/drivers/key-system-driver";
import { type BatchPersonState, batchBookkeeping } from "../../src/reconcile/batch-bookkeeping";
import type { LedgerEntry } from "../../src/reconcile/ledger-entry";

const now = new Date("2026-11-26T12:00:00.000Z");
const earlier = "2026-11-26T11:00:00.000Z";
const office: DesiredGrant = {
  system: "s",
  profile: "office",
  vendorRefs: ["p1"],
  critical: false,
  reasons: ["staff"],
};
const cred = (programmed: string[], over: Partial<CredentialState> = {}): CredentialState => ({
  credentialId: "c1",
  kind: "phone",
  status: "programmed",
  plannedGrants: programmed.map((vendorRef) => ({ vendorRef })),
  programmedGrants: programmed.map((vendorRef) => ({ vendorRef })),
  effect: "effective",
  ...over,
});
const obs = (...credentials: CredentialState[]): Observation => ({
  holder: { holderId: "h", externalId: "x" },
  credentials,
  foreignGrants: [],
});
const granted: LedgerEntry = {
  profile: "office",
  action: "grant",
  state: "effective",
  vendorRefs: ["p1"],
  reasons: ["staff"],
  requestedAt: earlier,
  updatedAt: earlier,
  effectiveAt: earlier,
};
const emptyPlan: Plan = { actions: [], wanted: [], removesAccess: false };

function state(over: Partial<BatchPersonState> = {}): BatchPersonState {
  return {
    ledger: { holder: { holderId: "h", specHash: "x", generation: 3 }, entries: [granted] },
    desired: [office],
    observation: obs(cred(["p1"])),
    plan: emptyPlan,
    fingerprint: "fp",
    resyncEpoch: 7,
    generation: 4,
    now,
    enforcesValidity: true,
    confirmAfterMs: 10_000,
    ...over,
  };
}

test("converged: the holder record gets the generation, the run time and this resync's fingerprint", () => {
  expect(batchBookkeeping(state())).toEqual({
    holderId: "h",
    specHash: "x",
    generation: 4,
    reconciledAt: now.toISOString(),
    convergedHash: "fp",
    convergedEpoch: 7,
  });
});

test("an inactive person with nothing to take away keeps no converged fingerprint", () => {
  const holder = batchBookkeeping(
    state({
      desired: [],
      fingerprint: undefined,
      observation: obs(),
      ledger: { holder: { convergedHash: "old", convergedEpoch: 6 }, entries: [] },
    }),
  );
  expect(holder).toEqual({ generation: 4, reconciledAt: now.toISOString() });
});

test.each<[string, Partial<BatchPersonState>]>([
  [
    "a plan with actions (driver writes)",
    { plan: { ...emptyPlan, actions: [{ kind: "deactivate_holder" } as never] } },
  ],
  [
    "a credential that cannot be issued (needs attention)",
    { plan: { ...emptyPlan, attention: { reason: "no_phone" } as never } },
  ],
  [
    "an error to clear (needs-attention flag)",
    {
      ledger: {
        holder: { lastError: { code: "X", kind: "retryable", message: "m", at: earlier } },
        entries: [granted],
      },
    },
  ],
  ["an open work item to settle", { ledger: { holder: { workItems: ["w1"] }, entries: [granted] } }],
  ["a desired profile the ledger lacks (desired-change audit)", { ledger: { holder: {}, entries: [] } }],
  [
    "an entry whose state moves (state audit)",
    { observation: obs(cred([], { plannedGrants: [{ vendorRef: "p1" }] })) },
  ],
  [
    "a pending entry (confirm timer)",
    {
      ledger: { holder: {}, entries: [{ ...granted, state: "pending_programming" }] },
      observation: obs(cred([], { plannedGrants: [{ vendorRef: "p1" }], effect: "pending_programming" })),
    },
  ],
  [
    "a validity end without its timer (revocation to schedule)",
    {
      desired: [{ ...office, notAfter: "2026-12-01T00:00:00.000Z" }],
      ledger: { holder: {}, entries: [{ ...granted, notAfter: "2026-12-01T00:00:00.000Z" }] },
    },
  ],
  [
    "a stale confirm timer to cancel",
    { ledger: { holder: { timers: { confirm: "2026-11-26T12:00:05.000Z" } }, entries: [granted] } },
  ],
])("hands over: %s", (_why, over) => {
  expect(batchBookkeeping(state(over))).toBeNull();
});

test("a validity end whose timer is already set is bookkeeping only", () => {
  const until = "2026-12-01T00:00:00.000Z";
  const holder = batchBookkeeping(
    state({
      desired: [{ ...office, notAfter: until }],
      ledger: { holder: { timers: { valid_until: until } }, entries: [{ ...granted, notAfter: until }] },
    }),
  );
  expect(holder?.timers).toEqual({ valid_until: until });
});

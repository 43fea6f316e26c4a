// Ledger transitions: requested → pending → effective for grants and revocations, confirmed from
// what the key system reports; a revocation is only done when effective.
import type { DesiredGrant } from "../../src/access/desired-grant";
import type { CredentialState, Observation } from "../../src/drivers/key-system-driver";
import type { LedgerEntry } from "../../src/reconcile/ledger-entry";
import { nextLedgerEntries, observedState } from "../../src/reconcile/next-ledger-entries";

const now = new Date("2026-11-26T12:00:00.000Z");
const earlier = "2026-11-26T11:00:00.000Z";
const office: DesiredGrant = {
  system: "s",
  profile: "office",
  vendorRefs: ["p1"],
  critical: false,
  reasons: ["staff"],
};

function cred(planned: string[], programmed: string[], over: Partial<CredentialState> = {}): CredentialState {
  return {
    credentialId: "c1",
    kind: "phone",
    status: "programmed",
    plannedGrants: planned.map((vendorRef) => ({ vendorRef })),
    programmedGrants: programmed.map((vendorRef) => ({ vendorRef })),
    effect: "effective",
    ...over,
  };
}
const obs = (...credentials: CredentialState[]): Observation => ({
  holder: { holderId: "h", externalId: "x" },
  credentials,
  foreignGrants: [],
});
const entry = (over: Partial<LedgerEntry>): LedgerEntry => ({
  profile: "office",
  action: "grant",
  state: "effective",
  vendorRefs: ["p1"],
  reasons: ["staff"],
  requestedAt: earlier,
  updatedAt: earlier,
  effectiveAt: earlier,
  ...over,
});
const base = { enforcesValidity: true, now };

describe("nextLedgerEntries", () => {
  it("records a new grant as requested before the driver call", () => {
    expect(
      nextLedgerEntries({
        ...base,
        previous: [],
        desired: [office],
        observation: obs(),
        outcome: { phase: "planned" },
      }),
    ).toEqual([
      {
        profile: "office",
        action: "grant",
        state: "requested",
        vendorRefs: ["p1"],
        reasons: ["staff"],
        requestedAt: now.toISOString(),
        updatedAt: now.toISOString(),
      },
    ]);
  });

  it("takes the driver's effect after the call, keeping when it was requested", () => {
    const requested = entry({ state: "requested", effectiveAt: undefined });
    delete requested.effectiveAt;
    const [next] = nextLedgerEntries({
      ...base,
      previous: [requested],
      desired: [office],
      observation: obs(),
      outcome: { phase: "applied", effect: "pending_programming" },
    });
    expect(next).toMatchObject({
      state: "pending_programming",
      requestedAt: earlier,
      updatedAt: now.toISOString(),
    });
    expect(next?.effectiveAt).toBeUndefined();
  });

  it("confirms a pending grant once the credential is programmed", () => {
    const pending = entry({ state: "pending_programming" });
    delete pending.effectiveAt;
    const [next] = nextLedgerEntries({
      ...base,
      previous: [pending],
      desired: [office],
      observation: obs(cred(["p1"], ["p1"])),
      outcome: { phase: "unchanged" },
    });
    expect(next).toMatchObject({ state: "effective", effectiveAt: now.toISOString() });
  });

  it("turns a grant no longer desired into a revocation with the rules that granted it and the exposure", () => {
    const [next] = nextLedgerEntries({
      ...base,
      previous: [entry({})],
      desired: [],
      observation: obs(cred([], ["p1"], { effect: "pending_programming" })),
      outcome: { phase: "applied", effect: "pending_programming", exposureUntil: "2026-11-27T12:00:00.000Z" },
    });
    expect(next).toMatchObject({
      action: "revoke",
      state: "pending_programming",
      reasons: ["staff"],
      exposureUntil: "2026-11-27T12:00:00.000Z",
      requestedAt: now.toISOString(),
    });
  });

  it("keeps a revocation pending while the old key still carries the access, effective once reprogrammed", () => {
    const revoking = entry({ action: "revoke", state: "pending_programming" });
    delete revoking.effectiveAt;
    const still = nextLedgerEntries({
      ...base,
      previous: [revoking],
      desired: [],
      observation: obs(cred([], ["p1"])),
      outcome: { phase: "unchanged" },
    });
    expect(still[0]?.state).toBe("pending_programming");
    const done = nextLedgerEntries({
      ...base,
      previous: [revoking],
      desired: [],
      observation: obs(cred([], [])),
      outcome: { phase: "unchanged" },
    });
    expect(done[0]).toMatchObject({ state: "effective", effectiveAt: now.toISOString() });
  });

  it("marks a future grant the lock cannot enforce as scheduled", () => {
    const later = { ...office, notBefore: "2026-12-01T00:00:00.000Z" };
    const [next] = nextLedgerEntries({
      ...base,
      enforcesValidity: false,
      previous: [],
      desired: [later],
      observation: obs(),
      outcome: { phase: "planned" },
    });
    expect(next).toMatchObject({ state: "scheduled", notBefore: "2026-12-01T00:00:00.000Z" });
  });

  it("treats an expired desired grant as a revocation", () => {
    const expired = { ...office, notAfter: "2026-11-26T11:59:00.000Z" };
    const [next] = nextLedgerEntries({
      ...base,
      previous: [entry({})],
      desired: [expired],
      observation: obs(),
      outcome: { phase: "planned" },
    });
    expect(next).toMatchObject({ action: "revoke", state: "requested" });
  });

  it("leaves a settled grant effective when other profiles change in the same run", () => {
    const lab = { ...office, profile: "lab", vendorRefs: ["p2"] };
    const out = nextLedgerEntries({
      ...base,
      previous: [entry({})],
      desired: [office, lab],
      observation: obs(cred(["p1"], ["p1"])),
      outcome: { phase: "applied", effect: "pending_programming" },
    });
    expect(out.map((e) => [e.profile, e.state])).toEqual([
      ["lab", "pending_programming"],
      ["office", "effective"],
    ]);
    expect(out[1]?.updatedAt).toBe(earlier);
  });
});

describe("observedState", () => {
  it.each([
    ["grant programmed on a live key", obs(cred(["p1"], ["p1"])), "grant", "effective"],
    [
      "grant planned, key not yet programmed",
      obs(cred(["p1"], [], { effect: "pending_programming" })),
      "grant",
      "pending_programming",
    ],
    ["grant nowhere", obs(), "grant", "requested"],
    ["revocation still planned", obs(cred(["p1"], ["p1"])), "revoke", "requested"],
    ["revocation waiting for the key", obs(cred([], ["p1"])), "revoke", "pending_programming"],
    [
      "revoked key blocklist spreading",
      obs(cred([], ["p1"], { status: "blocked", effect: "pending_propagation" })),
      "revoke",
      "pending_propagation",
    ],
    ["revoked key returned", obs(cred([], ["p1"], { status: "returned" })), "revoke", "effective"],
  ] as const)("%s", (_name, observation, action, expected) => {
    expect(observedState(observation, ["p1"], action)).toBe(expected);
  });
});

describe("nextLedgerEntries with schedules", () => {
  const hours = {
    timeZone: "Europe/Berlin",
    windows: [{ days: ["mon" as const], startMinute: 480, endMinute: 1020 }],
  };

  it("a changed schedule is not effective until the key holding it is programmed", () => {
    const [next] = nextLedgerEntries({
      ...base,
      previous: [entry({})],
      desired: [{ ...office, schedule: hours }],
      observation: obs(cred(["p1"], ["p1"])),
      outcome: { phase: "applied", effect: "pending_programming" },
    });
    expect(next).toMatchObject({ state: "pending_programming", schedule: hours });
  });

  it("an unchanged schedule stays effective", () => {
    const [next] = nextLedgerEntries({
      ...base,
      previous: [entry({ schedule: hours })],
      desired: [{ ...office, schedule: hours }],
      observation: obs(cred(["p1"], ["p1"])),
      outcome: { phase: "applied", effect: "pending_programming" },
    });
    expect(next?.state).toBe("effective");
  });
});

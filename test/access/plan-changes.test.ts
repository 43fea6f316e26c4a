// planChanges: the exact driver actions for each situation, revocations first, none once converged.
import type { DesiredGrant } from "../../src/access/desired-grant";
import { holderSpecHash } from "../../src/access/holder-spec-hash";
import { type PlanInput, planChanges } from "../../src/access/plan-changes";
import type { CredentialState, GrantSpec, Observation } from "../../src/drivers/key-system-driver";

const now = new Date("2026-11-26T12:00:00.000Z");
const holder = { externalId: "h-1", displayName: "Ada" };
const hash = holderSpecHash(holder);

function grant(profile: string, refs: string[], extra: Partial<DesiredGrant> = {}): DesiredGrant {
  return { system: "hq", profile, vendorRefs: refs, critical: false, reasons: [`rule-${profile}`], ...extra };
}

function credential(grants: GrantSpec[], status: CredentialState["status"] = "programmed"): CredentialState {
  return {
    credentialId: "c-1",
    kind: "phone",
    status,
    plannedGrants: grants,
    programmedGrants: grants,
    effect: "effective",
  };
}

function observed(grants: GrantSpec[] | null, status?: CredentialState["status"]): Observation {
  if (grants === null) return { holder: null, credentials: [], foreignGrants: [] };
  return {
    holder: { holderId: "v-1", externalId: "h-1" },
    credentials: [credential(grants, status)],
    foreignGrants: [{ vendorRef: "console-made" }],
  };
}

function input(over: Partial<PlanInput>): PlanInput {
  return {
    person: { active: true, holder },
    desired: [],
    observation: observed(null),
    holderMemory: { specHash: hash },
    enforcesValidity: true,
    credentialPolicy: { kind: "phone" },
    now,
    ...over,
  };
}

describe("planChanges", () => {
  it("plans nothing when the key system already holds exactly the desired grants (converged)", () => {
    const plan = planChanges(
      input({ desired: [grant("office", ["sa-1"])], observation: observed([{ vendorRef: "sa-1" }]) }),
    );
    expect(plan.actions).toEqual([]);
    expect(plan.removesAccess).toBe(false);
  });

  it("plans nothing for a person without grants who is unknown to the key system", () => {
    expect(planChanges(input({})).actions).toEqual([]);
  });

  it("creates holder, credential and grants for a joiner, in that order", () => {
    const plan = planChanges(input({ desired: [grant("office", ["sa-2", "sa-1"])], holderMemory: {} }));
    expect(plan.actions).toEqual([
      { kind: "upsert_holder", spec: holder, specHash: hash },
      { kind: "issue_credential", spec: { kind: "phone" } },
      { kind: "set_grants", grants: [{ vendorRef: "sa-1" }, { vendorRef: "sa-2" }], removesAccess: false },
    ]);
  });

  it("issues no credential when the system policy says none", () => {
    const plan = planChanges(input({ desired: [grant("office", ["sa-1"])], credentialPolicy: null }));
    expect(plan.actions.map((a) => a.kind)).toEqual(["upsert_holder", "set_grants"]);
  });

  it("removes a profile before updating a changed holder (revocation first)", () => {
    const plan = planChanges(
      input({
        desired: [grant("office", ["sa-1"])],
        observation: observed([{ vendorRef: "sa-1" }, { vendorRef: "sa-9" }]),
        holderMemory: { specHash: "old" },
      }),
    );
    expect(plan.actions).toEqual([
      { kind: "set_grants", grants: [{ vendorRef: "sa-1" }], removesAccess: true },
      { kind: "upsert_holder", spec: holder, specHash: hash },
    ]);
    expect(plan.removesAccess).toBe(true);
  });

  it("passes validity windows to the driver and treats a shortened window as a removal", () => {
    const until = "2026-12-31T17:00:00.000Z";
    const plan = planChanges(
      input({
        desired: [grant("office", ["sa-1"], { notAfter: until })],
        observation: observed([{ vendorRef: "sa-1" }]),
      }),
    );
    expect(plan.actions).toEqual([
      { kind: "set_grants", grants: [{ vendorRef: "sa-1", notAfter: until }], removesAccess: true },
    ]);
  });

  it("drops expired grants and holds back future ones where the lock cannot enforce validity", () => {
    const desired = [
      grant("old", ["sa-1"], { notAfter: "2026-11-01T00:00:00.000Z" }),
      grant("later", ["sa-2"], { notBefore: "2026-12-01T00:00:00.000Z" }),
    ];
    const plan = planChanges(
      input({ desired, observation: observed([{ vendorRef: "sa-1" }]), enforcesValidity: false }),
    );
    expect(plan.actions).toEqual([{ kind: "set_grants", grants: [], removesAccess: true }]);
    const enforced = planChanges(input({ desired, observation: observed([]), enforcesValidity: true }));
    expect(enforced.actions).toEqual([
      {
        kind: "set_grants",
        grants: [{ vendorRef: "sa-2", notBefore: "2026-12-01T00:00:00.000Z" }],
        removesAccess: false,
      },
    ]);
  });

  it("merges two profiles sharing a reference to the wider window", () => {
    const desired = [grant("a", ["sa-1"], { notAfter: "2026-12-01T00:00:00.000Z" }), grant("b", ["sa-1"])];
    const plan = planChanges(input({ desired, observation: observed([]) }));
    expect(plan.actions).toEqual([
      { kind: "set_grants", grants: [{ vendorRef: "sa-1" }], removesAccess: false },
    ]);
  });

  it("offboards a deactivated person: empty grants, revoke credentials, deactivate holder", () => {
    const plan = planChanges(
      input({
        person: { active: false },
        desired: [grant("office", ["sa-1"])],
        observation: observed([{ vendorRef: "sa-1" }]),
      }),
    );
    expect(plan.actions).toEqual([
      { kind: "set_grants", grants: [], removesAccess: true },
      { kind: "revoke_credential", credentialId: "c-1", reason: "offboarding" },
      { kind: "deactivate_holder", at: now.toISOString() },
    ]);
    expect(plan.removesAccess).toBe(true);
  });

  it("is converged for a deactivated person whose credential is returned and holder ended", () => {
    const plan = planChanges(
      input({
        person: { active: false },
        observation: observed([{ vendorRef: "sa-1" }], "returned"),
        holderMemory: { specHash: hash, deactivatedAt: now.toISOString() },
      }),
    );
    expect(plan.actions).toEqual([]);
  });

  it("also removes the holder of a deleted person, last", () => {
    const plan = planChanges(input({ person: null, observation: observed([]) }));
    expect(plan.actions).toEqual([
      { kind: "revoke_credential", credentialId: "c-1", reason: "offboarding" },
      { kind: "deactivate_holder", at: now.toISOString() },
      { kind: "remove_holder" },
    ]);
  });

  it("never touches foreign grants", () => {
    const plan = planChanges(input({ desired: [], observation: observed([]) }));
    expect(plan.actions).toEqual([]);
  });

  it("re-upserts a reactivated holder and issues a credential when the old one is gone", () => {
    const plan = planChanges(
      input({
        desired: [grant("office", ["sa-1"])],
        observation: observed([{ vendorRef: "sa-1" }], "returned"),
        holderMemory: { specHash: hash, deactivatedAt: "2026-11-20T00:00:00.000Z" },
      }),
    );
    expect(plan.actions).toEqual([
      { kind: "upsert_holder", spec: holder, specHash: hash },
      { kind: "issue_credential", spec: { kind: "phone" } },
      { kind: "set_grants", grants: [{ vendorRef: "sa-1" }], removesAccess: false },
    ]);
  });
});

describe("planChanges when the person cannot be issued a credential", () => {
  const cannot = {
    cannotIssue: {
      code: "BRIDGE_CREDENTIAL_UNAVAILABLE" as const,
      message: "no phone",
      missing: "phone" as const,
    },
  };

  it("a joiner without a phone number: holder only, no credential, no grants, and attention", () => {
    const plan = planChanges(
      input({ desired: [grant("office", ["sa-1"])], holderMemory: {}, credentialPolicy: cannot }),
    );
    expect(plan.actions.map((a) => a.kind)).toEqual(["upsert_holder"]);
    expect(plan.attention).toMatchObject({ code: "BRIDGE_CREDENTIAL_UNAVAILABLE" });
  });

  it("a joiner with a phone number gets a phone key registered to that number", () => {
    const spec = { kind: "phone" as const, phone: "+49 170 2222" };
    const plan = planChanges(
      input({ desired: [grant("office", ["sa-1"])], holderMemory: {}, credentialPolicy: spec }),
    );
    expect(plan.actions[1]).toEqual({ kind: "issue_credential", spec });
    expect(plan.attention).toBeUndefined();
  });

  it("a person who already holds a live key needs no new one, so no attention", () => {
    const plan = planChanges(
      input({
        desired: [grant("office", ["sa-1"])],
        observation: observed([{ vendorRef: "sa-1" }]),
        credentialPolicy: cannot,
      }),
    );
    expect(plan.actions).toEqual([]);
    expect(plan.attention).toBeUndefined();
  });
});

describe("planChanges with a key reported lost (operator emergency revoke, lostKey)", () => {
  const held: GrantSpec[] = [{ vendorRef: "r-office" }];

  it("empties the grants first, then revokes every live credential as lost", () => {
    const plan = planChanges(input({ desired: [], observation: observed(held), blockCredentials: true }));
    expect(plan.actions).toEqual([
      { kind: "set_grants", grants: [], removesAccess: true },
      { kind: "revoke_credential", credentialId: "c-1", reason: "lost" },
    ]);
    expect(plan.removesAccess).toBe(true);
  });

  it("a credential already blocked or lost is left alone (converged → nothing)", () => {
    const plan = planChanges(
      input({ desired: [], observation: observed([], "lost"), blockCredentials: true }),
    );
    expect(plan.actions).toEqual([]);
  });
});

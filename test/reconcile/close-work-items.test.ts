// When a work item closes itself: each case names the condition an operator relies on.
import type { CredentialState, ManualTask, Observation } from "../../src/drivers/key-system-driver";
import { closeReason, workItemId } from "../../src/reconcile/close-work-items";
import type { WorkItem } from "../../src/reconcile/grant-ledger";
import type { LedgerEntry } from "../../src/reconcile/ledger-entry";

const item = (task: ManualTask): WorkItem => ({
  id: "wi",
  tenant: "t",
  system: "s",
  personId: "p",
  task,
  createdAt: "2026-01-01T00:00:00.000Z",
});
const key = (over: Partial<CredentialState>): CredentialState => ({
  credentialId: "k1",
  kind: "physical",
  status: "programmed",
  plannedGrants: [],
  programmedGrants: [],
  effect: "effective",
  ...over,
});
const obs = (...credentials: CredentialState[]): Observation => ({
  holder: { holderId: "h", externalId: "x" },
  credentials,
  foreignGrants: [],
});
const entry = (action: "grant" | "revoke", state: LedgerEntry["state"]): LedgerEntry => ({
  profile: `${action}-${state}`,
  action,
  state,
  vendorRefs: ["r"],
  reasons: [],
  requestedAt: "",
  updatedAt: "",
});
const handOut = item({ kind: "hand_out_credential", credentialId: "k1", reason: "give the key" });
const handIn = item({ kind: "hand_in_credential", credentialId: "k1", reason: "take it back" });
const program = item({ kind: "program_with_manager", credentialId: "k1", reason: "cylinders" });

test.each([
  [
    "hand-out stays open while the grant waits for programming",
    handOut,
    obs(key({})),
    [entry("grant", "pending_programming")],
    null,
  ],
  [
    "hand-out closes once every grant is effective",
    handOut,
    obs(key({})),
    [entry("grant", "effective")],
    "grant_effective",
  ],
  [
    "hand-out closes when nothing is to be granted any more",
    handOut,
    obs(),
    [entry("revoke", "effective")],
    "not_needed",
  ],
  [
    "hand-in stays open while the disabled key is still the leaver's",
    handIn,
    obs(key({ status: "disabled" })),
    [entry("revoke", "effective")],
    null,
  ],
  [
    "hand-in closes once the key is no longer the person's",
    handIn,
    obs(),
    [entry("revoke", "effective")],
    "credential_returned",
  ],
  [
    "hand-in closes when the key reads as returned",
    handIn,
    obs(key({ status: "returned" })),
    [],
    "credential_returned",
  ],
  [
    "cylinder programming stays open while the key's change is pending",
    program,
    obs(key({ effect: "pending_programming" })),
    [],
    null,
  ],
  [
    "cylinder programming closes once the key's change is effective",
    program,
    obs(key({})),
    [],
    "credential_programmed",
  ],
  [
    "an 'other' task is only ever closed by an operator",
    item({ kind: "other", reason: "x" }),
    obs(),
    [],
    null,
  ],
] as const)("%s", (_name, wi, observation, entries, reason) => {
  expect(closeReason(wi, { observation, entries: [...entries] })).toBe(reason);
});

test("one id per system, person, task kind and credential (a task reported again is the same item)", () => {
  const task: ManualTask = { kind: "hand_in_credential", credentialId: "k1", reason: "a" };
  expect(workItemId("s", "p", task)).toBe(workItemId("s", "p", { ...task, reason: "b" }));
  expect(workItemId("s", "p", task)).not.toBe(workItemId("s", "p", { ...task, credentialId: "k2" }));
  expect(workItemId("s", "p", task)).not.toBe(workItemId("s", "q", task));
});

// Plans the driver calls that take one person in one key system from what it holds to what the
// mappings want: pure, revocations first, and an empty list once converged (ARCHITECTURE §2).
import type {
  CredentialSpec,
  GrantSpec,
  HolderSpec,
  Observation,
  RevokeReason,
} from "../drivers/key-system-driver";
import { type CannotIssue, type CredentialRequest, isCannotIssue } from "./credential-request";
import type { DesiredGrant } from "./desired-grant";
import {
  DEAD_CREDENTIAL_STATUSES,
  observedGrantSpecs,
  removesAccess,
  sameGrantSets,
  toGrantSpecs,
} from "./grant-specs";
import { holderSpecHash } from "./holder-spec-hash";

export type PlanAction =
  | { kind: "set_grants"; grants: GrantSpec[]; removesAccess: boolean }
  | { kind: "revoke_credential"; credentialId: string; reason: RevokeReason }
  | { kind: "deactivate_holder"; at: string }
  | { kind: "remove_holder" }
  | { kind: "upsert_holder"; spec: HolderSpec; specHash: string }
  | { kind: "issue_credential"; spec: CredentialSpec };

/** What the bridge remembers about the holder (from the ledger), so unchanged holders cost no write. */
export interface HolderMemory {
  /** Hash of the HolderSpec last written (holderSpecHash). */
  specHash?: string;
  /** Set once deactivateHolder succeeded; cleared when the person is active again. */
  deactivatedAt?: string;
}

export interface PlanInput {
  /**
   * The person as the key system should know them; null when deleted from the directory. An inactive
   * person carries no holder: offboarding is planned from the ledger and the observation alone, so
   * no person data can stop it (issue #9 item 2).
   */
  person: { active: true; holder: HolderSpec } | { active: false } | null;
  /** Desired grants of this key system only. */
  desired: DesiredGrant[];
  observation: Observation;
  holderMemory: HolderMemory;
  /** The key system enforces notBefore/notAfter itself (DriverCapabilities.validityWindows). */
  enforcesValidity: boolean;
  /** The key system keeps one schedule per credential (DriverCapabilities.scheduleScope "credential"). */
  keyWideSchedule?: boolean;
  /**
   * The credential to issue when a person with grants holds none (credential-request.ts): what issuing
   * needs, why this person cannot be issued one, or null when the system issues none.
   */
  credentialPolicy: CredentialRequest | null;
  /**
   * An operator reported the person's key lost (emergency revoke with lostKey): besides emptying the
   * grants, every live credential is revoked as lost, so the key system blocks the key itself.
   */
  blockCredentials?: boolean;
  now: Date;
}

export interface Plan {
  actions: PlanAction[];
  /** The grants the holder should carry after the plan (what set_grants would write). */
  wanted: GrantSpec[];
  /** Any action takes access away: such work runs at revocation priority. */
  removesAccess: boolean;
  /** Set when the person needs a credential that cannot be issued: needs attention, no retry loop. */
  attention?: CannotIssue["cannotIssue"];
}

export function planChanges(input: PlanInput): Plan {
  const { person, observation } = input;
  const held = observedGrantSpecs(observation);
  if (!person?.active) return planOffboarding(input, held);
  const wanted = toGrantSpecs(input.desired, input.now, input.enforcesValidity, input.keyWideSchedule);
  const actions: PlanAction[] = [];
  const specHash = holderSpecHash(person.holder);
  const upsert: PlanAction = { kind: "upsert_holder", spec: person.holder, specHash };
  const policy = input.credentialPolicy;
  const issue: CredentialSpec | null = policy && !isCannotIssue(policy) ? policy : null;
  if (!observation.holder) {
    if (wanted.length === 0) return { actions, wanted, removesAccess: false };
    actions.push(upsert);
    // A person who cannot be issued a credential gets no grants written: no key would carry them.
    if (isCannotIssue(policy))
      return { actions, wanted, removesAccess: false, attention: policy.cannotIssue };
    if (issue) actions.push({ kind: "issue_credential", spec: issue });
    actions.push({ kind: "set_grants", grants: wanted, removesAccess: false });
    return { actions, wanted, removesAccess: false };
  }
  const removes = removesAccess(held, wanted);
  const grantsDiffer = !sameGrantSets(held, wanted);
  const holderStale =
    input.holderMemory.specHash !== specHash || input.holderMemory.deactivatedAt !== undefined;
  const liveCredentials = observation.credentials.filter((c) => !DEAD_CREDENTIAL_STATUSES.has(c.status));
  const needsCredential = wanted.length > 0 && liveCredentials.length === 0 && policy !== null;
  // Revocation first: taking access away must not wait behind a holder update or a new credential.
  if (grantsDiffer && removes) actions.push({ kind: "set_grants", grants: wanted, removesAccess: true });
  if (holderStale) actions.push(upsert);
  if (needsCredential && isCannotIssue(policy)) {
    return { actions, wanted, removesAccess: removes, attention: policy.cannotIssue };
  }
  if (needsCredential && issue) actions.push({ kind: "issue_credential", spec: issue });
  if (grantsDiffer && !removes) actions.push({ kind: "set_grants", grants: wanted, removesAccess: false });
  if (input.blockCredentials) {
    for (const c of liveCredentials)
      actions.push({ kind: "revoke_credential", credentialId: c.credentialId, reason: "lost" });
    return { actions, wanted, removesAccess: removes || liveCredentials.length > 0 };
  }
  return { actions, wanted, removesAccess: removes };
}

/** A deactivated or deleted person: empty the grants, revoke every credential, end the holder. */
function planOffboarding(input: PlanInput, held: GrantSpec[]): Plan {
  const { observation, person } = input;
  const actions: PlanAction[] = [];
  if (!observation.holder) return { actions, wanted: [], removesAccess: false };
  if (held.length > 0) actions.push({ kind: "set_grants", grants: [], removesAccess: true });
  for (const credential of observation.credentials) {
    if (DEAD_CREDENTIAL_STATUSES.has(credential.status)) continue;
    actions.push({ kind: "revoke_credential", credentialId: credential.credentialId, reason: "offboarding" });
  }
  if (input.holderMemory.deactivatedAt === undefined) {
    actions.push({ kind: "deactivate_holder", at: input.now.toISOString() });
  }
  if (!person) actions.push({ kind: "remove_holder" });
  return { actions, wanted: [], removesAccess: actions.some(isRemoval) };
}

function isRemoval(action: PlanAction): boolean {
  return action.kind === "set_grants" || action.kind === "revoke_credential";
}

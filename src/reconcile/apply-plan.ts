// Carries out a plan with idempotent driver calls, auditing every call and its result.
import type { PlanAction } from "../access/plan-changes";
import type {
  ChangeResult,
  Effect,
  HolderRef,
  KeySystemDriver,
  ManualTask,
  OperationContext,
} from "../drivers/key-system-driver";
import type { HolderRecord } from "./ledger-entry";
import { type AuditScope, auditPerson, RECONCILE_AUDIT } from "./reconcile-audit";
import { RunEffects } from "./run-effects";

export interface AppliedPlan {
  /** What the run achieved: per credential its latest result, plus results naming none (run-effects.ts). */
  effects: Effect[];
  /** The latest exposure any revocation in this run reported. */
  exposureUntil?: string;
  manualTasks: ManualTask[];
  holder: HolderRecord;
}

export async function applyPlan(
  driver: KeySystemDriver,
  actions: PlanAction[],
  start: { holder: HolderRef | null; record: HolderRecord; now: string },
  ctx: OperationContext,
  scope: AuditScope,
): Promise<AppliedPlan> {
  let holder = start.holder;
  const applied: AppliedPlan = { effects: [], manualTasks: [], holder: { ...start.record } };
  const effects = new RunEffects();
  // Audit records are handed to the trail in order (it appends in call order) and awaited together,
  // so the driver calls of a revocation do not each wait for a trail round trip.
  const records: Promise<void>[] = [];
  const record = (p: Promise<void>) => {
    p.catch(() => undefined); // awaited below; this only stops an early rejection counting as unhandled
    records.push(p);
  };
  for (const action of actions) {
    record(
      auditPerson(scope, RECONCILE_AUDIT.driverCall, "pending", {
        operationId: ctx.operationId,
        call: describeAction(action),
      }),
    );
    try {
      const result = await callDriver(driver, action, holder, ctx, applied.holder, start.now);
      if ("holder" in result) holder = result.holder;
      else {
        collect(applied, result);
        effects.add(result);
      }
      const outcome =
        "effect" in result && result.effect !== "effective" && result.effect !== "applied"
          ? "pending"
          : "success";
      record(
        auditPerson(scope, RECONCILE_AUDIT.driverResult, outcome, {
          operationId: ctx.operationId,
          call: describeAction(action),
          effect: "effect" in result ? result.effect : null,
        }),
      );
    } catch (err) {
      const { code, kind } = err as { code?: unknown; kind?: unknown };
      record(
        auditPerson(scope, RECONCILE_AUDIT.driverError, "failure", {
          operationId: ctx.operationId,
          call: describeAction(action),
          code: typeof code === "string" ? code : "INTERNAL",
          kind: typeof kind === "string" ? kind : "unknown",
        }),
      );
      await Promise.all(records);
      throw err;
    }
  }
  await Promise.all(records);
  applied.effects = effects.effects();
  return applied;
}

type CallResult = ChangeResult | { holder: HolderRef };

async function callDriver(
  driver: KeySystemDriver,
  action: PlanAction,
  holder: HolderRef | null,
  ctx: OperationContext,
  record: HolderRecord,
  now: string,
): Promise<CallResult> {
  if (action.kind === "upsert_holder") {
    const { holder: ref } = await driver.upsertHolder(action.spec, ctx);
    record.holderId = ref.holderId;
    record.specHash = action.specHash;
    delete record.deactivatedAt;
    delete record.removedAt;
    return { holder: ref };
  }
  if (action.kind === "revoke_credential")
    return driver.revokeCredential(action.credentialId, action.reason, ctx);
  if (!holder) throw new Error("plan step needs a holder the key system does not have");
  switch (action.kind) {
    case "set_grants":
      return driver.setGrants(holder, action.grants, ctx);
    case "issue_credential":
      return driver.issueCredential(holder, action.spec, ctx);
    case "deactivate_holder": {
      const result = await driver.deactivateHolder(holder, action.at, ctx);
      record.deactivatedAt = action.at;
      return result;
    }
    case "remove_holder": {
      const result = await driver.removeHolder(holder, ctx);
      if (result.removed) record.removedAt = now;
      return result;
    }
  }
}

function collect(applied: AppliedPlan, result: ChangeResult): void {
  applied.manualTasks.push(...result.manualTasks);
  if (result.exposureUntil && (!applied.exposureUntil || result.exposureUntil > applied.exposureUntil)) {
    applied.exposureUntil = result.exposureUntil;
  }
}

/** What the audit keeps of a call: its kind and vendor references, never the holder's personal data. */
function describeAction(action: PlanAction): Record<string, unknown> {
  switch (action.kind) {
    case "set_grants":
      return { kind: action.kind, grants: action.grants, removesAccess: action.removesAccess };
    case "revoke_credential":
      return { kind: action.kind, credentialId: action.credentialId, reason: action.reason };
    case "issue_credential":
      return { kind: action.kind, credentialKind: action.spec.kind };
    case "upsert_holder":
      return { kind: action.kind, externalId: action.spec.externalId };
    default:
      return { kind: action.kind };
  }
}

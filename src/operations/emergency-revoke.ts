// Emergency revoke / block a lost key: takes a person's access away in one, several or all key systems
// now, whatever the IdP and the mappings say, until an operator lifts it. Audited with actor and the
// mandatory reason, enqueued at revocation priority. With admin.fourEyes it waits for a second operator.
import { auditTypes } from "../audit/audit-catalog";
import { BridgeError } from "../errors/bridge-error";
import { type EnqueueOutcome, enqueueReconcile } from "../reconcile/enqueue-reconcile";
import {
  checkOperatorRequest,
  type OperatorDeps,
  type OperatorRequest,
  operatorPersonEvent,
} from "./operator-request";
import { ALL_SYSTEMS, OperatorSuspensions, type PersonSuspension } from "./operator-suspensions";

export interface EmergencyTarget {
  tenant: string;
  personId: string;
  /** Key systems to revoke in; empty or absent: every key system. */
  systems?: string[];
  /** The key is lost or stolen: block its credentials too (revokeCredential reason "lost"). */
  lostKey?: boolean;
}

export interface EmergencyRevokeResult {
  correlationId: string;
  /** Per key system the priority enqueued at, or "deferred". */
  enqueued: Record<string, number | "deferred">;
  suspension: PersonSuspension;
}

export const UNKNOWN_KEY_SYSTEM = "no such key system";

/** The suspension fields of a target: the systems named, or ALL_SYSTEMS. Refuses an unknown system. */
export function suspensionFields(deps: OperatorDeps, target: EmergencyTarget): string[] {
  const named = target.systems ?? [];
  if (named.length === 0) return [ALL_SYSTEMS];
  const known = deps.queues.systems();
  const unknown = named.filter((s) => !known.includes(s));
  if (unknown.length > 0) throw new BridgeError("InvalidValue", UNKNOWN_KEY_SYSTEM);
  return [...new Set(named)].sort();
}

/** Applies the revoke now (the four-eyes path calls it once a second operator approved). */
export async function emergencyRevoke(
  deps: OperatorDeps,
  target: EmergencyTarget,
  request: OperatorRequest & { approvedBy?: string },
): Promise<EmergencyRevokeResult> {
  checkOperatorRequest(request);
  const fields = suspensionFields(deps, target);
  const correlationId = `operator|${deps.newId()}`;
  const suspensions = new OperatorSuspensions(requireRedis(deps));
  const entry = {
    reason: request.reason,
    actor: request.actor,
    at: deps.clock.now().toISOString(),
    correlationId,
    ...(request.approvedBy ? { approvedBy: request.approvedBy } : {}),
    ...(target.lostKey ? { lostKey: true } : {}),
  };
  await suspensions.add(target.tenant, target.personId, fields, entry);
  await deps.audit.append(
    operatorPersonEvent(auditTypes.operatorEmergencyRevoked, target, request, correlationId, {
      systems: fields,
      ...(target.lostKey ? { lostKey: true } : {}),
      ...(request.approvedBy ? { approvedBy: request.approvedBy } : {}),
    }),
  );
  const enqueued = await enqueueFor(deps, target, correlationId, fields);
  return { correlationId, enqueued, suspension: await suspensions.get(target.tenant, target.personId) };
}

/** Lifts the person's suspension everywhere; the mappings decide again. Null: none was in force. */
export async function liftSuspension(
  deps: OperatorDeps,
  target: { tenant: string; personId: string },
  request: OperatorRequest,
): Promise<{ correlationId: string; lifted: PersonSuspension } | null> {
  checkOperatorRequest(request);
  const lifted = await new OperatorSuspensions(requireRedis(deps)).lift(target.tenant, target.personId);
  if (Object.keys(lifted).length === 0) return null;
  const correlationId = `operator|${deps.newId()}`;
  await deps.audit.append(
    operatorPersonEvent(auditTypes.operatorSuspensionLifted, target, request, correlationId, {
      systems: Object.keys(lifted).sort(),
    }),
  );
  await enqueueReconcile(deps, { ...target, trigger: "operator", correlationId });
  return { correlationId, lifted };
}

async function enqueueFor(
  deps: OperatorDeps,
  target: EmergencyTarget,
  correlationId: string,
  fields: string[],
): Promise<Record<string, number | "deferred">> {
  const systems = fields.includes(ALL_SYSTEMS) ? undefined : fields;
  const job = {
    tenant: target.tenant,
    personId: target.personId,
    trigger: "operator" as const,
    correlationId,
  };
  // Always revocation priority, like an IdP deactivation: the ledger may not know everything the key
  // system holds, so "nothing recorded to lose" must not put an emergency behind a backlog.
  const kind = "deactivated" as const;
  const outcome: EnqueueOutcome = await enqueueReconcile(deps, job, systems ? { systems, kind } : { kind });
  return Object.fromEntries(outcome);
}

function requireRedis(deps: OperatorDeps) {
  if (!deps.redis) throw new Error("operator suspensions need deps.redis");
  return deps.redis;
}

// Four-eyes for emergency revokes (config admin.fourEyes): one operator asks, a second one approves
// (then the revoke runs, recording both) or rejects. The same operator can never approve their own.
import { auditTypes } from "../audit/audit-catalog";
import { BridgeError } from "../errors/bridge-error";
import { redisKeys } from "../store/redis-keys";
import {
  type EmergencyRevokeResult,
  type EmergencyTarget,
  emergencyRevoke,
  suspensionFields,
} from "./emergency-revoke";
import { checkOperatorRequest, type OperatorDeps, type OperatorRequest } from "./operator-request";

export interface PendingEmergencyRevoke {
  id: string;
  target: EmergencyTarget;
  actor: string;
  reason: string;
  at: string;
}

export const SAME_OPERATOR = "an emergency revoke needs a second operator's approval";
export const NO_SUCH_REQUEST = "no pending emergency revoke with that id";

export async function requestEmergencyRevoke(
  deps: OperatorDeps,
  target: EmergencyTarget,
  request: OperatorRequest,
): Promise<PendingEmergencyRevoke> {
  checkOperatorRequest(request);
  suspensionFields(deps, target); // refuse an unknown key system now, not at approval
  const pending: PendingEmergencyRevoke = {
    id: deps.newId(),
    target,
    actor: request.actor,
    reason: request.reason,
    at: deps.clock.now().toISOString(),
  };
  await redis(deps).hset(
    redisKeys.pendingEmergencyRevokes(target.tenant),
    pending.id,
    JSON.stringify(pending),
  );
  await audit(deps, auditTypes.operatorEmergencyRevokeRequested, pending, request, { requestId: pending.id });
  return pending;
}

export async function listPendingEmergencyRevokes(
  deps: OperatorDeps,
  tenant: string,
): Promise<PendingEmergencyRevoke[]> {
  const all = await redis(deps).hvals(redisKeys.pendingEmergencyRevokes(tenant));
  return all.map((raw) => JSON.parse(raw) as PendingEmergencyRevoke).sort((a, b) => a.at.localeCompare(b.at));
}

/** Runs the pending revoke as its requester's, approved by `approver` (a different operator). */
export async function approveEmergencyRevoke(
  deps: OperatorDeps,
  target: { tenant: string; id: string },
  approver: OperatorRequest,
): Promise<EmergencyRevokeResult> {
  checkOperatorRequest(approver);
  const pending = await take(deps, target, approver.actor);
  return emergencyRevoke(deps, pending.target, {
    actor: pending.actor,
    reason: `${pending.reason} (approved: ${approver.reason})`,
    approvedBy: approver.actor,
  });
}

export async function rejectEmergencyRevoke(
  deps: OperatorDeps,
  target: { tenant: string; id: string },
  request: OperatorRequest,
): Promise<PendingEmergencyRevoke> {
  checkOperatorRequest(request);
  const raw = await redis(deps).hget(redisKeys.pendingEmergencyRevokes(target.tenant), target.id);
  if (!raw || (await redis(deps).hdel(redisKeys.pendingEmergencyRevokes(target.tenant), target.id)) !== 1)
    throw new BridgeError("NotFound", NO_SUCH_REQUEST);
  const pending = JSON.parse(raw) as PendingEmergencyRevoke;
  await audit(deps, auditTypes.operatorEmergencyRevokeRejected, pending, request, { requestId: pending.id });
  return pending;
}

/** Removes the pending request for the approver; HDEL decides between two approvers racing. */
async function take(
  deps: OperatorDeps,
  target: { tenant: string; id: string },
  approver: string,
): Promise<PendingEmergencyRevoke> {
  const key = redisKeys.pendingEmergencyRevokes(target.tenant);
  const raw = await redis(deps).hget(key, target.id);
  if (!raw) throw new BridgeError("NotFound", NO_SUCH_REQUEST);
  const pending = JSON.parse(raw) as PendingEmergencyRevoke;
  if (pending.actor === approver) throw new BridgeError("InvalidValue", SAME_OPERATOR);
  if ((await redis(deps).hdel(key, target.id)) !== 1) throw new BridgeError("NotFound", NO_SUCH_REQUEST);
  return pending;
}

async function audit(
  deps: OperatorDeps,
  type: string,
  pending: PendingEmergencyRevoke,
  request: OperatorRequest,
  data: Record<string, unknown>,
): Promise<void> {
  await deps.audit.append({
    type,
    tenant: pending.target.tenant,
    actor: request.actor,
    subject: { kind: "person", id: pending.target.personId },
    reason: request.reason,
    outcome: "success",
    data: { ...data, systems: pending.target.systems ?? [] },
  });
}

function redis(deps: OperatorDeps) {
  if (!deps.redis) throw new Error("four-eyes requests need deps.redis");
  return deps.redis;
}

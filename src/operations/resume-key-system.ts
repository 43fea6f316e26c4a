// Resumes a key system's queue that keybridge paused on a systemic error (credentials rejected) or an
// operator paused, once the cause is fixed; audited as operator.system_resumed with actor and reason.
import { auditTypes } from "../audit/audit-catalog";
import { BridgeError } from "../errors/bridge-error";
import { checkOperatorRequest, type OperatorDeps, type OperatorRequest } from "./operator-request";
import { UNKNOWN_KEY_SYSTEM } from "./emergency-revoke";

/** True when the queue was paused (and is now running); false when it was running already. */
export async function resumeKeySystem(
  deps: OperatorDeps,
  system: string,
  request: OperatorRequest,
): Promise<boolean> {
  checkOperatorRequest(request);
  if (!deps.queues.systems().includes(system)) throw new BridgeError("NotFound", UNKNOWN_KEY_SYSTEM);
  const queue = deps.queues.queue(system);
  const wasPaused = await queue.isPaused();
  if (wasPaused) await queue.resume();
  await deps.audit.append({
    type: auditTypes.operatorSystemResumed,
    actor: request.actor,
    subject: { kind: "key_system", id: system },
    reason: request.reason,
    outcome: wasPaused ? "success" : "noop",
    data: { wasPaused },
  });
  return wasPaused;
}

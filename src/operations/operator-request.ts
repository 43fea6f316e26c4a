// Who asks and why: every operator action (CLI today, an admin API later) carries an actor and a
// mandatory reason, recorded in its `operator.*` audit record, because the trail is what a regulator reads.
import { BridgeError } from "../errors/bridge-error";
import type { AuditSink } from "../audit/audit-event";
import type { EnqueueReconcileDeps } from "../reconcile/enqueue-reconcile";

export interface OperatorRequest {
  /** Recorded as is, e.g. "operator:alice@ops-host". */
  actor: string;
  /** Free text from the operator: a ticket number, what was fixed. */
  reason: string;
}

/** What the operator actions need: the enqueue path of the pipeline plus the audit trail. */
export interface OperatorDeps extends EnqueueReconcileDeps {
  audit: AuditSink;
  newId: () => string;
}

export const OPERATOR_REASON_REQUIRED = "an operator action needs a reason";
export const OPERATOR_ACTOR_REQUIRED = "an operator action needs an actor";

export function checkOperatorRequest(request: OperatorRequest): void {
  if (!request.actor?.trim()) throw new BridgeError("InvalidValue", OPERATOR_ACTOR_REQUIRED);
  if (!request.reason?.trim()) throw new BridgeError("InvalidValue", OPERATOR_REASON_REQUIRED);
}

/** `operator:<name>` from an explicit name, else `operator:<user>@<host>` of the shell running the CLI. */
export function operatorActor(explicit: string | undefined, user: string, host: string): string {
  return `operator:${explicit?.trim() || `${user}@${host}`}`;
}

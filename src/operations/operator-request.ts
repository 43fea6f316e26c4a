// Who asks and why: every operator action (CLI today, an admin API later) carries an actor and a
// mandatory reason, recorded in its `operator.*` audit record, because the trail is what a regulator reads.
import { BridgeError } from "../errors/bridge-error";
import type { AuditEventInput, AuditSink } from "../audit/audit-event";
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

/** The `operator.*` audit record of a successful action on one person: who, why, under which correlation. */
export function operatorPersonEvent(
  type: string,
  person: { tenant: string; personId: string },
  request: OperatorRequest,
  correlationId: string | undefined,
  data: Record<string, unknown>,
): AuditEventInput {
  return {
    type,
    tenant: person.tenant,
    actor: request.actor,
    subject: { kind: "person", id: person.personId },
    reason: request.reason,
    correlationId,
    outcome: "success",
    data,
  };
}

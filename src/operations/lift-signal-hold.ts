// `keybridge signals lift`: an operator ends what IdP signals hold against a person (suspension and
// suppressed groups) — e.g. a mistaken disable the IdP will not confirm back — audited with actor and
// reason as operator.signal_lifted, then reconciled, so SCIM's view applies again (issue #11 item 1).
import { auditTypes } from "../audit/audit-catalog";
import { enqueueReconcile } from "../reconcile/enqueue-reconcile";
import { parseSignalHold, type SignalHold } from "../signals/signal-hold";
import { redisKeys } from "../store/redis-keys";
import { checkOperatorRequest, type OperatorDeps, type OperatorRequest } from "./operator-request";

export interface SignalHoldLifted {
  correlationId: string;
  /** What was held; null: nothing was, nothing changed and nothing is audited. */
  lifted: SignalHold | null;
}

export async function liftSignalHold(
  deps: OperatorDeps & { redis: NonNullable<OperatorDeps["redis"]> },
  target: { tenant: string; personId: string },
  request: OperatorRequest,
): Promise<SignalHoldLifted> {
  checkOperatorRequest(request);
  const { tenant, personId } = target;
  const correlationId = `operator|${deps.newId()}`;
  const key = redisKeys.signalHold(tenant, personId);
  const hold = parseSignalHold(await deps.redis.hgetall(key));
  if (!hold) return { correlationId, lifted: null };
  // Like a directory change: the hold goes, the generation moves and the person is dirty, in one step.
  await deps.redis
    .multi()
    .del(key)
    .zrem(redisKeys.signalHolds(tenant), personId)
    .incr(redisKeys.personGeneration(tenant, personId))
    .zadd(redisKeys.dirtyPersons(tenant), "NX", deps.clock.now().getTime(), personId)
    .exec();
  await deps.audit.append({
    type: auditTypes.operatorSignalLifted,
    tenant,
    actor: request.actor,
    subject: { kind: "person", id: personId },
    reason: request.reason,
    correlationId,
    outcome: "success",
    data: {
      suspension: hold.suspension
        ? { channel: hold.suspension.channel, eventId: hold.suspension.eventId }
        : null,
      groups: Object.keys(hold.groups),
    },
  });
  await enqueueReconcile(deps, { tenant, personId, trigger: "operator", correlationId });
  return { correlationId, lifted: hold };
}

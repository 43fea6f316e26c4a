// The pipeline's end of the SCIM seam: audits each committed SCIM change and enqueues one reconcile
// per affected person per key system, at revocation priority when the change takes access away.
import type { AuditEventInput, AuditSink } from "../audit/audit-event";
import type { Logger } from "../log/logger";
import type { DirectoryChange, DirectoryChangeHook, PersonChangeKind } from "../store/directory-change";
import { type EnqueueReconcileDeps, enqueueReconcile } from "./enqueue-reconcile";
import { type AuditType, auditTypes } from "../audit/audit-catalog";
import type { ReconcileQueues } from "./reconcile-queues";

export interface DirectoryChangeHookDeps extends EnqueueReconcileDeps {
  queues: ReconcileQueues;
  audit: AuditSink;
  logger: Logger;
  /** Changes touching more persons than this enqueue them after the hook returns (default 500). */
  inlinePersons?: number;
  /** Pauses between further tries of an audit record that failed after the commit. */
  auditRetryDelaysMs?: number[];
}

export const HOOK_LOG = {
  enqueueFailed: "enqueue after SCIM change failed; the dirty-set sweeper will retry",
  fanOutStarted: "large SCIM change: enqueueing its persons after the response",
  fanOutDone: "large SCIM change: every person enqueued",
  auditRetry: "audit record of a committed SCIM change failed; retrying after the response",
  auditLost: "audit record of a committed SCIM change could not be written; the event is in this line",
} as const;

/** Persons classified and enqueued at once; a large group PATCH proceeds in slices of this size. */
const SLICE = 25;
const INLINE_PERSONS = 500;
const AUDIT_RETRY_DELAYS_MS = [1_000, 5_000, 30_000, 120_000];

export function createDirectoryChangeHook(deps: DirectoryChangeHookDeps): DirectoryChangeHook {
  let fanOuts: Promise<void> = Promise.resolve();
  return async (change: DirectoryChange) => {
    if (change.persons.length > (deps.inlinePersons ?? INLINE_PERSONS)) {
      // Renaming or deleting a big group touches every member: enqueueing them inline took 2.8 s at
      // 20,000 members (measured), ~14 s at 100,000 — near the IdPs' request timeouts. The IdP gets its answer once the change is committed
      // and audited; the members follow, one large change at a time. Each of them is already in the
      // dirty set (written with the change), so a crash part-way loses nothing: the sweeper re-enqueues.
      await auditAfterCommit(deps, change);
      const log = {
        tenant: change.tenant,
        correlationId: change.correlationId,
        persons: change.persons.length,
      };
      deps.logger.info(log, HOOK_LOG.fanOutStarted);
      fanOuts = fanOuts
        .then(() => enqueueAll(deps, change))
        .then(() => deps.logger.info(log, HOOK_LOG.fanOutDone));
      return;
    }
    // The audit record and the enqueues are independent writes: run them side by side so a request (and
    // a leaver's revocation) waits for the slower one, not for both in turn. Both finish before the response.
    await Promise.all([auditAfterCommit(deps, change), enqueueAll(deps, change)]);
  };
}

/**
 * Never rejects. The change is committed: failing the request would not undo it, and the IdP's retry
 * would change nothing and so audit nothing. A record that cannot be written now (Redis blipped right
 * after the commit) is tried again after the response and, as a last resort, logged in full.
 */
async function auditAfterCommit(deps: DirectoryChangeHookDeps, change: DirectoryChange): Promise<void> {
  try {
    await deps.audit.append(auditEvent(change));
  } catch (err) {
    deps.logger.warn(
      { err, tenant: change.tenant, correlationId: change.correlationId },
      HOOK_LOG.auditRetry,
    );
    retryAudit(deps, change, 0);
  }
}

function retryAudit(deps: DirectoryChangeHookDeps, change: DirectoryChange, attempt: number): void {
  const delay = (deps.auditRetryDelaysMs ?? AUDIT_RETRY_DELAYS_MS)[attempt];
  if (delay === undefined) {
    deps.logger.error({ event: auditEvent(change) }, HOOK_LOG.auditLost);
    return;
  }
  const timer = setTimeout(() => {
    deps.audit.append(auditEvent(change)).catch(() => retryAudit(deps, change, attempt + 1));
  }, delay);
  timer.unref();
}

function auditEvent(change: DirectoryChange): AuditEventInput {
  return {
    type: scimAuditType(change),
    tenant: change.tenant,
    actor: `idp:${change.tenant}`,
    subject: { kind: change.resourceType === "User" ? "person" : "group", id: change.resourceId },
    correlationId: change.correlationId,
    outcome: "success",
    data: { operation: change.operation, at: change.at, persons: change.persons },
  };
}

/** Never rejects: enqueuePerson logs its own failures (the dirty set covers them). */
async function enqueueAll(deps: DirectoryChangeHookDeps, change: DirectoryChange): Promise<void> {
  for (let i = 0; i < change.persons.length; i += SLICE) {
    await Promise.all(change.persons.slice(i, i + SLICE).map((p) => enqueuePerson(deps, change, p)));
  }
}

async function enqueuePerson(
  deps: DirectoryChangeHookDeps,
  change: DirectoryChange,
  person: DirectoryChange["persons"][number],
): Promise<void> {
  try {
    const data = {
      tenant: change.tenant,
      personId: person.personId,
      trigger: person.kind,
      correlationId: change.correlationId,
    };
    await enqueueReconcile(deps, data, { kind: person.kind });
  } catch (err) {
    // The change is durable in the dirty set (written with it); losing this enqueue loses nothing.
    deps.logger.warn({ err, tenant: change.tenant, personId: person.personId }, HOOK_LOG.enqueueFailed);
  }
}

const USER_CHANGE_TYPES: Record<PersonChangeKind, AuditType> = {
  created: auditTypes.scimUserCreated,
  updated: auditTypes.scimUserUpdated,
  activated: auditTypes.scimUserActivated,
  deactivated: auditTypes.scimUserDeactivated,
  membership: auditTypes.scimUserUpdated,
  deleted: auditTypes.scimUserDeleted,
};

/** The catalog type of one SCIM request's record. */
export function scimAuditType(change: DirectoryChange): AuditType {
  if (change.resourceType === "User") {
    const own = change.persons.find((p) => p.personId === change.resourceId);
    if (own) return USER_CHANGE_TYPES[own.kind];
    return change.operation === "delete" ? auditTypes.scimUserDeleted : auditTypes.scimUserUpdated;
  }
  if (change.operation === "create") return auditTypes.scimGroupCreated;
  if (change.operation === "delete") return auditTypes.scimGroupDeleted;
  return change.persons.length > 0 ? auditTypes.scimMembershipChanged : auditTypes.scimGroupUpdated;
}

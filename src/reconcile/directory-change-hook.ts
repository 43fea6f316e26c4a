// The pipeline's end of the SCIM seam: audits each committed SCIM change and enqueues one reconcile
// per affected person per key system, at revocation priority when the change takes access away.
import type { AuditSink } from "../audit/audit-event";
import type { Logger } from "../log/logger";
import type { DirectoryChange, DirectoryChangeHook } from "../store/directory-change";
import { classifyPriority, type PriorityDeps } from "./classify-priority";
import { RECONCILE_AUDIT } from "./reconcile-audit";
import type { ReconcileQueues } from "./reconcile-queues";

export interface DirectoryChangeHookDeps extends PriorityDeps {
  queues: ReconcileQueues;
  audit: AuditSink;
  logger: Logger;
}

export const HOOK_LOG = {
  enqueueFailed: "enqueue after SCIM change failed; the dirty-set sweeper will retry",
} as const;

/** Persons classified and enqueued at once; a large group PATCH proceeds in slices of this size. */
const SLICE = 25;

export function createDirectoryChangeHook(deps: DirectoryChangeHookDeps): DirectoryChangeHook {
  return async (change: DirectoryChange) => {
    await deps.audit.append({
      type: RECONCILE_AUDIT.scimChange,
      tenant: change.tenant,
      actor: `idp:${change.tenant}`,
      subject: { kind: change.resourceType === "User" ? "person" : "group", id: change.resourceId },
      correlationId: change.correlationId,
      outcome: "success",
      data: { operation: change.operation, at: change.at, persons: change.persons },
    });
    const systems = deps.queues.systems();
    for (let i = 0; i < change.persons.length; i += SLICE) {
      await Promise.all(
        change.persons.slice(i, i + SLICE).map((p) => enqueuePerson(deps, change, p, systems)),
      );
    }
  };
}

async function enqueuePerson(
  deps: DirectoryChangeHookDeps,
  change: DirectoryChange,
  person: DirectoryChange["persons"][number],
  systems: string[],
): Promise<void> {
  try {
    const priorities = await classifyPriority(deps, change.tenant, person.personId, systems, person.kind);
    const data = {
      tenant: change.tenant,
      personId: person.personId,
      trigger: person.kind,
      correlationId: change.correlationId,
    };
    await Promise.all(systems.map((s) => deps.queues.enqueue(s, data, priorities.get(s) ?? 1)));
  } catch (err) {
    // The change is durable in the dirty set (written with it); losing this enqueue loses nothing.
    deps.logger.warn({ err, tenant: change.tenant, personId: person.personId }, HOOK_LOG.enqueueFailed);
  }
}

// Decides a reconcile's queue priority before it runs: 1 when it would take access away (so it
// overtakes any backlog), 5 otherwise. Cheap: the directory, the mappings and the ledger, no driver.
import { isExpired } from "../access/grant-specs";
import type { Clock } from "../drivers/key-system-driver";
import type { PersonChangeKind } from "../store/directory-change";
import type { DirectoryReader } from "../store/directory-types";
import type { GrantLedger } from "./grant-ledger";
import type { AccessEvaluator } from "./reconcile-deps";
import { PRIORITY, priorityOfChange } from "./reconcile-job";
import { isUserActive } from "../store/user-active";

export interface PriorityDeps {
  directory: DirectoryReader;
  access: AccessEvaluator;
  ledger: GrantLedger;
  clock: Clock;
}

/** Per key system: the priority to enqueue this person's reconcile at. */
export async function classifyPriority(
  deps: PriorityDeps,
  tenant: string,
  personId: string,
  systems: string[],
  kind?: PersonChangeKind,
): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  if (kind === "deactivated" || kind === "deleted" || kind === "created" || kind === "activated") {
    for (const system of systems) result.set(system, priorityOfChange(kind));
    return result;
  }
  const now = deps.clock.now();
  const person = await deps.directory.getPerson(tenant, personId);
  const desired = person && isUserActive(person.user) ? deps.access.evaluate(person, now) : [];
  for (const system of systems) {
    const ledger = await deps.ledger.read(tenant, system, personId);
    const wanted = new Map(
      desired.filter((d) => d.system === system && !isExpired(d, now)).map((d) => [d.profile, d]),
    );
    const loses = ledger.entries.some((e) => {
      if (e.action !== "grant" || e.state === "scheduled") return false;
      const w = wanted.get(e.profile);
      if (!w) return true;
      return w.notAfter !== undefined && (e.notAfter === undefined || w.notAfter < e.notAfter);
    });
    result.set(system, loses ? PRIORITY.revocation : PRIORITY.change);
  }
  return result;
}

/**
 * classifyPriority that cannot stop an enqueue: if the person's data makes classification throw, the
 * reconcile still goes ahead, at revocation priority (fail-safe: the run itself plans what to do).
 */
export async function classifyPriorityOrRevoke(
  deps: PriorityDeps,
  tenant: string,
  personId: string,
  systems: string[],
  kind?: PersonChangeKind,
  onError?: (err: unknown) => void,
): Promise<Map<string, number>> {
  try {
    return await classifyPriority(deps, tenant, personId, systems, kind);
  } catch (err) {
    onError?.(err);
    return new Map(systems.map((s) => [s, PRIORITY.revocation]));
  }
}

// Lookup indexes over one SimState, so a vendor request finds a holder by our external id, a holder's
// credentials and the credentials with a physical step due without walking every record: a real key
// system answers those from an index too, and a scan made each simulated call cost CPU linear in the
// vendor's size (a full resync of 10,000 persons spent ~40% of the worker's CPU in those scans).
//
// Kept beside the state, not in it (a WeakMap), so SimState stays plain JSON for the Redis-backed store;
// built on first use from the records and then kept up to date by the write operations in
// memory-vendor-ops.ts, the only code that adds or moves holders and credentials or sets a due time.
import type { SimCredential, SimState } from "./memory-state";

export interface SimStateIndex {
  /** externalId → holder ids, in creation order (the order Object.values gave). */
  holdersByExternalId: Map<string, Set<string>>;
  /** holderId → credential ids, in creation order. */
  credentialsByHolder: Map<string, Set<string>>;
  /** Credentials that may have programmingDueAt or propagationDueAt set (settle() drops the done ones). */
  due: Set<string>;
}

const indexes = new WeakMap<SimState, SimStateIndex>();

export function stateIndex(s: SimState): SimStateIndex {
  let index = indexes.get(s);
  if (!index) {
    index = buildIndex(s);
    indexes.set(s, index);
  }
  return index;
}

function buildIndex(s: SimState): SimStateIndex {
  const index: SimStateIndex = {
    holdersByExternalId: new Map(),
    credentialsByHolder: new Map(),
    due: new Set(),
  };
  for (const h of Object.values(s.holders)) addTo(index.holdersByExternalId, h.externalId, h.holderId);
  for (const c of Object.values(s.credentials)) {
    addTo(index.credentialsByHolder, c.holderId, c.credentialId);
    if (hasDueStep(c)) index.due.add(c.credentialId);
  }
  return index;
}

export function hasDueStep(c: SimCredential): boolean {
  return c.programmingDueAt !== undefined || c.propagationDueAt !== undefined;
}

export function addTo(map: Map<string, Set<string>>, key: string, id: string): void {
  const ids = map.get(key);
  if (ids) ids.add(id);
  else map.set(key, new Set([id]));
}

export function removeFrom(map: Map<string, Set<string>>, key: string, id: string): void {
  const ids = map.get(key);
  if (!ids) return;
  ids.delete(id);
  if (ids.size === 0) map.delete(key);
}

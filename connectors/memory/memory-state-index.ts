// Lookup indexes over a SimState (holders by external id, credentials by holder, credentials with a
// pending physical step), so each simulated request costs what a real vendor's indexed lookup costs
// instead of a scan of every holder: a 100,000-person bench otherwise measures the simulator.
import type { SimCredential, SimHolder, SimState } from "./memory-state";

interface StateIndex {
  /** SimState.nextId when the index last caught up: every create takes the next id. */
  seenNextId: number;
  holdersByExternalId: Map<string, Set<string>>;
  credentialsByHolder: Map<string, Set<string>>;
  /** Credentials that had a due time set; settle() drops them once nothing is due. */
  due: Set<string>;
}

// Keyed by the state object: a Redis-backed store hands out a fresh object per transaction, which
// builds its index once (the scan it did before); the in-process store keeps one for its lifetime.
const indexes = new WeakMap<SimState, StateIndex>();

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

function indexHolder(index: StateIndex, h: SimHolder): void {
  addTo(index.holdersByExternalId, h.externalId, h.holderId);
}

function indexCredential(index: StateIndex, c: SimCredential): void {
  addTo(index.credentialsByHolder, c.holderId, c.credentialId);
  if (c.programmingDueAt !== undefined || c.propagationDueAt !== undefined) index.due.add(c.credentialId);
}

/**
 * The state's index, caught up with every holder and credential created since (ids `h-<n>`/`c-<n>`
 * come from the one nextId counter). Entries are verified on use, so a deleted holder or credential
 * is simply skipped.
 */
export function stateIndex(s: SimState): StateIndex {
  let index = indexes.get(s);
  if (!index) {
    index = {
      seenNextId: s.nextId,
      holdersByExternalId: new Map(),
      credentialsByHolder: new Map(),
      due: new Set(),
    };
    for (const h of Object.values(s.holders)) indexHolder(index, h);
    for (const c of Object.values(s.credentials)) indexCredential(index, c);
    indexes.set(s, index);
    return index;
  }
  for (let n = index.seenNextId; n < s.nextId; n++) {
    const h = s.holders[`h-${n}`];
    if (h) indexHolder(index, h);
    const c = s.credentials[`c-${n}`];
    if (c) indexCredential(index, c);
  }
  index.seenNextId = s.nextId;
  return index;
}

/** Records that a holder's external id changed (updateHolder). */
export function reindexHolder(s: SimState, h: SimHolder): void {
  indexHolder(stateIndex(s), h);
}

/** Records that a credential now has a pending physical step. */
export function markDue(s: SimState, c: SimCredential): void {
  stateIndex(s).due.add(c.credentialId);
}

export function indexedHolders(s: SimState, externalId: string): SimHolder[] {
  const ids = stateIndex(s).holdersByExternalId.get(externalId) ?? [];
  const out: SimHolder[] = [];
  for (const id of ids) {
    const h = s.holders[id];
    if (h && h.externalId === externalId) out.push(h);
  }
  // Creation order, as Object.values gave it (ids are numbered in creation order).
  return out.sort((a, b) => idNumber(a.holderId) - idNumber(b.holderId));
}

export function indexedCredentials(s: SimState, holderId: string): SimCredential[] {
  const ids = stateIndex(s).credentialsByHolder.get(holderId) ?? [];
  const out: SimCredential[] = [];
  for (const id of ids) {
    const c = s.credentials[id];
    if (c && c.holderId === holderId) out.push(c);
  }
  return out.sort((a, b) => idNumber(a.credentialId) - idNumber(b.credentialId));
}

/** Credentials that may have a pending step; the caller removes those with none left. */
export function dueCredentials(s: SimState): {
  ids: Set<string>;
  get: (id: string) => SimCredential | undefined;
} {
  return { ids: stateIndex(s).due, get: (id) => s.credentials[id] };
}

const idNumber = (id: string) => Number(id.slice(2));

// The simulated vendor's data operations: synchronous functions on SimState, run inside one transaction.
import type { CredentialKind, GrantSpec, RevokeReason } from "../../src/drivers/key-system-driver";
import type { SimCredential, SimEvent, SimGrant, SimHolder, SimState } from "./memory-state";
import { addTo, hasDueStep, removeFrom, stateIndex } from "./memory-state-index";
import { VendorFault } from "./memory-vendor-fault";

export interface SimTiming {
  now: Date;
  programmingDelayMs: number;
  propagationDelayMs: number;
}

const later = (t: SimTiming, ms: number) => new Date(t.now.getTime() + ms).toISOString();

/** Physical steps whose simulated time has come are applied before any request sees the state. */
export function settle(s: SimState, now: Date): void {
  const due = stateIndex(s).due;
  if (due.size === 0) return;
  const iso = now.toISOString();
  for (const id of due) {
    const c = s.credentials[id];
    if (c?.programmingDueAt !== undefined && c.programmingDueAt <= iso) programNow(c);
    if (c?.propagationDueAt !== undefined && c.propagationDueAt <= iso) delete c.propagationDueAt;
    if (!c || !hasDueStep(c)) due.delete(id);
  }
}

export function programNow(c: SimCredential): void {
  c.programmed = structuredClone(c.planned);
  delete c.programmingDueAt;
  if (c.status === "programming") c.status = "programmed";
}

export function findHolders(s: SimState, externalId: string): SimHolder[] {
  const ids = stateIndex(s).holdersByExternalId.get(externalId);
  if (!ids) return [];
  return [...ids].flatMap((id) => (s.holders[id] ? [s.holders[id]] : []));
}

export function holderCredentials(s: SimState, holderId: string): SimCredential[] {
  const ids = stateIndex(s).credentialsByHolder.get(holderId);
  if (!ids) return [];
  return [...ids].flatMap((id) => (s.credentials[id] ? [s.credentials[id]] : []));
}

export function holderWithCredentials(s: SimState, externalId: string) {
  const holder = findHolders(s, externalId)[0];
  return holder ? { holder, credentials: holderCredentials(s, holder.holderId) } : undefined;
}

export function createHolder(s: SimState, h: Omit<SimHolder, "holderId">): SimHolder {
  const holder = { ...h, holderId: `h-${s.nextId++}` };
  s.holders[holder.holderId] = holder;
  addTo(stateIndex(s).holdersByExternalId, holder.externalId, holder.holderId);
  return holder;
}

export function updateHolder(s: SimState, holderId: string, fields: Partial<SimHolder>): SimHolder {
  const holder = s.holders[holderId];
  if (!holder) throw new VendorFault("invalid", 404);
  const before = holder.externalId;
  Object.assign(holder, fields, { holderId });
  if (holder.externalId !== before) {
    const index = stateIndex(s).holdersByExternalId;
    removeFrom(index, before, holderId);
    addTo(index, holder.externalId, holderId);
  }
  return holder;
}

const isActive = (c: SimCredential) =>
  c.status !== "returned" && c.status !== "lost" && c.status !== "blocked";

/** Like iLOQ CanDelete 1: a holder with active credentials cannot be deleted (key-systems.md §2.4). */
export function deleteHolder(s: SimState, holderId: string): boolean {
  if (!s.holders[holderId]) return false;
  if (holderCredentials(s, holderId).some(isActive)) throw new VendorFault("precondition", 409);
  removeFrom(stateIndex(s).holdersByExternalId, s.holders[holderId].externalId, holderId);
  delete s.holders[holderId];
  return true;
}

export function createCredential(s: SimState, holderId: string, kind: CredentialKind, t: SimTiming) {
  if (!s.holders[holderId]) throw new VendorFault("invalid", 404);
  const c: SimCredential = {
    credentialId: `c-${s.nextId++}`,
    holderId,
    kind,
    status: t.programmingDelayMs > 0 ? "programming" : "programmed",
    planned: [],
    programmed: [],
  };
  if (t.programmingDelayMs > 0) c.programmingDueAt = later(t, t.programmingDelayMs);
  s.credentials[c.credentialId] = c;
  const index = stateIndex(s);
  addTo(index.credentialsByHolder, holderId, c.credentialId);
  if (hasDueStep(c)) index.due.add(c.credentialId);
  return c;
}

function credentialOrFault(s: SimState, credentialId: string): SimCredential {
  const c = s.credentials[credentialId];
  if (!c) throw new VendorFault("invalid", 404);
  return c;
}

function schedule(s: SimState, c: SimCredential, t: SimTiming): void {
  if (t.programmingDelayMs === 0) programNow(c);
  else {
    c.programmingDueAt = later(t, t.programmingDelayMs);
    stateIndex(s).due.add(c.credentialId);
  }
}

/**
 * Replaces the grants written by the bridge on one credential and keeps everyone else's, the way a
 * full-replace rights endpoint (iLOQ PUT Keys/{id}/SecurityAccesses, §2.3) is used by a careful client.
 */
export function putBridgeGrants(
  s: SimState,
  credentialId: string,
  grants: GrantSpec[],
  changeable: (vendorRef: string) => boolean | undefined,
  t: SimTiming,
): SimCredential {
  const c = credentialOrFault(s, credentialId);
  if (!isActive(c)) throw new VendorFault("precondition", 409);
  for (const g of grants) {
    const ok = changeable(g.vendorRef);
    if (ok === undefined) throw new VendorFault("invalid", 400);
    if (!ok) throw new VendorFault("manual", 409);
  }
  c.planned = [...c.planned.filter((g) => !g.bridge), ...grants.map((g) => ({ ...g, bridge: true }))];
  c.status = "programming";
  schedule(s, c, t);
  return c;
}

/** A grant added in the vendor's own UI (test seeding): not the bridge's, applied at once. */
export function addForeignGrant(s: SimState, credentialId: string, vendorRef: string): void {
  const c = credentialOrFault(s, credentialId);
  const g: SimGrant = { vendorRef, bridge: false };
  c.planned.push(g);
  c.programmed.push({ ...g });
}

/** Remote return (phone/tag): the credential's rights are wiped once it is programmed again. */
export function returnCredential(s: SimState, credentialId: string, t: SimTiming): SimCredential {
  const c = credentialOrFault(s, credentialId);
  c.status = "returned";
  c.planned = [];
  schedule(s, c, t);
  return c;
}

/** Blocklists a lost credential; it stops opening doors once the locks have synced (§2.5). */
export function blockCredential(s: SimState, credentialId: string, reason: RevokeReason, t: SimTiming) {
  const c = credentialOrFault(s, credentialId);
  c.status = reason === "broken" ? "blocked" : "lost";
  if (t.propagationDelayMs > 0) {
    c.propagationDueAt = later(t, t.propagationDelayMs);
    stateIndex(s).due.add(credentialId);
  }
  appendSimEvent(s, {
    occurredAt: t.now.toISOString(),
    receivedAt: t.now.toISOString(),
    kind: "credential_blocked",
    credentialId,
    holderId: c.holderId,
  });
  return c;
}

export function appendSimEvent(s: SimState, e: Omit<SimEvent, "seq" | "id">): SimEvent {
  const seq = s.nextSeq++;
  const event = { ...e, seq, id: `e-${seq}` };
  s.events.push(event);
  return event;
}

/** Events by arrival sequence (like iLOQ GetLockLogDataByTimestamp: DB time, so late logs are not missed). */
export function eventsAfter(s: SimState, afterSeq: number, limit: number): SimEvent[] {
  return s.events.filter((e) => e.seq > afterSeq).slice(0, limit);
}

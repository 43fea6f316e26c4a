// Collects the facts the evidence report rests on from audit records alone (pure): who each person
// is, every grant and revocation with its times, and every termination action. Nothing here reads
// Redis, so a report built from an export (`--from-export`) rests on exactly the same facts.
import { SUSPENDING_KINDS, type SignalKind } from "../signals/idp-signal";
import type { AuditRecord } from "../audit/audit-record";

export interface EvidenceIdentity {
  personId: string;
  userName?: string;
  externalId?: string;
}

/** One grant or revocation of one profile in one key system, from requested to its last state. */
export interface AccessChange {
  action: "grant" | "revoke";
  personId: string;
  system: string;
  profile: string;
  /** The mapping rules behind it (for a revocation: the rules that used to grant it). */
  rules: string[];
  requestedAt: string;
  effectiveAt?: string;
  /** The last state the audit shows: requested, pending_*, effective, failed, manual_action, scheduled. */
  state: string;
  /** The latest `exposureUntil` estimate a pending record gave (offline keys). */
  exposureUntil?: string;
  /** Seq of the first record of this change, so an auditor can find it in the export. */
  firstSeq: number;
}

export type TerminationKind = "scim_deactivated" | "scim_deleted" | "end_date" | "idp_signal";

/** A termination action: the moment from which a person's access had to go. */
export interface TerminationAction {
  personId: string;
  kind: TerminationKind;
  at: string;
  seq: number;
  /** IdP signals: the channel and the provider's event id (signal.* records). */
  channel?: string;
  eventId?: string;
}

export interface EvidenceFacts {
  identities: Map<string, EvidenceIdentity>;
  changes: AccessChange[];
  terminations: TerminationAction[];
  /** Times a person became active again (created, activated): a later termination starts a new clock. */
  activations: Array<{ personId: string; at: string }>;
}

const EFFECT_PREFIX = /^(grant|revocation)\.(requested|pending|effective|failed|manual_action|scheduled)$/;

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

function personOf(record: AuditRecord): string | undefined {
  if (record.subject?.kind === "person") return record.subject.id;
  return str(record.data?.personId);
}

function noteIdentity(facts: EvidenceFacts, personId: string, record: AuditRecord): void {
  const userName = str(record.data?.userName);
  const externalId = str(record.data?.externalId);
  if (!userName && !externalId) return;
  const known = facts.identities.get(personId) ?? { personId };
  if (userName) known.userName = userName;
  if (externalId) known.externalId = externalId;
  facts.identities.set(personId, known);
}

/** Folds one effect-state record into the open change of its (person, system, profile, action). */
function noteEffect(open: Map<string, AccessChange>, facts: EvidenceFacts, record: AuditRecord): void {
  const data = record.data ?? {};
  const personId = personOf(record);
  const system = str(data.system);
  const profile = str(data.profile);
  if (!personId || !system || !profile) return; // timer records carry no profile: not an effect
  const action = data.action === "revoke" ? "revoke" : "grant";
  const key = `${personId}\u0000${system}\u0000${profile}\u0000${action}`;
  const state = str(data.to) ?? record.type.split(".")[1]!;
  let change = open.get(key);
  const done = change && ["effective", "failed"].includes(change.state);
  const restart = state === "requested" && change?.state !== "scheduled";
  if (!change || done || restart) {
    change = {
      action,
      personId,
      system,
      profile,
      rules: [],
      requestedAt: str(data.requestedAt) ?? record.time,
      state,
      firstSeq: record.seq,
    };
    open.set(key, change);
    facts.changes.push(change);
  }
  if (change.state === "scheduled" && state === "requested")
    change.requestedAt = str(data.requestedAt) ?? record.time;
  change.state = state;
  if (Array.isArray(data.rules)) change.rules = data.rules.filter((r): r is string => typeof r === "string");
  const exposure = str(data.exposureUntil);
  if (exposure) change.exposureUntil = exposure;
  if (state === "effective") change.effectiveAt = str(data.effectiveAt) ?? record.time;
}

const SCIM_TERMINATIONS: Record<string, TerminationKind> = {
  "scim.user.deactivated": "scim_deactivated",
  "scim.user.deleted": "scim_deleted",
};

/** The termination a record states, if any (SCIM change, IdP signal; end dates are folded separately). */
function terminationOf(record: AuditRecord): TerminationAction | undefined {
  const personId = personOf(record);
  if (!personId) return undefined;
  const kind = SCIM_TERMINATIONS[record.type];
  // A SCIM change's own time (data.at) is when it committed; the record may reach the chain later.
  if (kind) return { personId, kind, at: str(record.data?.at) ?? record.time, seq: record.seq };
  // Only a signal that took access away terminates: not a duplicate, an evidence-only session revoke,
  // a confirmation or a single group's removal (a change of role). Its clock starts when the IdP says
  // the person was disabled (occurredAt), so the report counts the IdP's delay too.
  if (record.type !== "signal.applied" || !SUSPENDING_KINDS.has(str(record.data?.kind) as SignalKind))
    return undefined;
  const occurredAt = str(record.data?.occurredAt);
  const at = occurredAt && !Number.isNaN(Date.parse(occurredAt)) ? occurredAt : record.time;
  const out: TerminationAction = { personId, kind: "idp_signal", at, seq: record.seq };
  const channel = str(record.data?.channel);
  const eventId = str(record.data?.eventId);
  if (channel) out.channel = channel;
  if (eventId) out.eventId = eventId;
  return out;
}

/**
 * HR end dates: the last `revocation.scheduled|rescheduled` timer per person and key system gives the
 * end (data.at); `revocation.cancelled` withdraws it. Only ends inside the window are terminations.
 */
function endDates(records: AuditRecord[], since: string, until: string): TerminationAction[] {
  const latest = new Map<string, TerminationAction | undefined>();
  for (const r of records) {
    const personId = personOf(r);
    if (!personId || r.data?.profile !== undefined) continue;
    const key = `${personId}\u0000${str(r.data?.system) ?? ""}`;
    if (r.type === "revocation.cancelled") latest.set(key, undefined);
    const at = str(r.data?.at);
    if ((r.type === "revocation.scheduled" || r.type === "revocation.rescheduled") && at)
      latest.set(key, { personId, kind: "end_date", at, seq: r.seq });
  }
  const inWindow = (t: TerminationAction | undefined): t is TerminationAction =>
    t !== undefined && Date.parse(t.at) >= Date.parse(since) && Date.parse(t.at) < Date.parse(until);
  return [...latest.values()].filter(inWindow);
}

/** The facts of one tenant's records (in chain order) for the window [since, until). */
export function collectEvidenceFacts(
  records: AuditRecord[],
  tenant: string,
  window: { since: string; until: string },
): EvidenceFacts {
  const mine = records.filter((r) => r.tenant === tenant);
  const facts: EvidenceFacts = {
    identities: new Map(),
    changes: [],
    terminations: [],
    activations: [],
  };
  const open = new Map<string, AccessChange>();
  for (const record of mine) {
    const personId = personOf(record);
    if (personId) noteIdentity(facts, personId, record);
    if (EFFECT_PREFIX.test(record.type)) noteEffect(open, facts, record);
    const termination = terminationOf(record);
    if (termination) facts.terminations.push(termination);
    if (personId && (record.type === "scim.user.created" || record.type === "scim.user.activated"))
      facts.activations.push({ personId, at: str(record.data?.at) ?? record.time });
  }
  facts.terminations.push(...endDates(mine, window.since, window.until));
  facts.terminations.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.seq - b.seq);
  return facts;
}

// Applies one IdP signal: matches the person by the tenant's join key, records the signal in their
// hold atomically with its audit record (signal-script.ts), then enqueues their reconcile at
// revocation priority through the same path as a SCIM deactivation. Signals never grant.
import type { RedisClient } from "../store/create-redis-client";
import { type AuditType, auditTypes } from "../audit/audit-catalog";
import type { AuditEventInput } from "../audit/audit-event";
import type { Logger } from "../log/logger";
import { type EnqueueReconcileDeps, enqueueReconcile } from "../reconcile/enqueue-reconcile";
import type { PersonChangeKind } from "../store/directory-change";
import { redisKeys } from "../store/redis-keys";
import { runScript } from "../store/run-script";
import type { IdpSignal, SignalOutcome } from "./idp-signal";
import { findPersonByJoinKey, type PersonFinder } from "./find-person-by-join-key";
import { type HeldSignal, holdFieldOf } from "./signal-hold";
import { APPLY_SIGNAL_SCRIPT } from "./signal-script";

export interface SignalDeps extends EnqueueReconcileDeps {
  redis: RedisClient;
  /** The directory's user query (RedisDirectoryStore.queryUsers). */
  store: PersonFinder;
  /** Moves the tenant's audit outbox onto the chain (audit/audit-outbox.ts). */
  auditOutbox: { move(tenant: string): Promise<number> };
  logger: Logger;
  /** The tenant's join key (config tenants[].signals.joinKey). */
  joinKey: (tenant: string) => string;
  /** Whether the tenant treats sessions_revoked as a suspension (config signals.sessionsRevoked); default: evidence only. */
  sessionsRevokedSuspends?: (tenant: string) => boolean;
  /** Dedupe memory per channel: event ids kept this long, at most this many (default 7 days, 100,000). */
  dedupe?: { keepMs: number; keepMax: number };
  /** Counts each signal by channel and outcome (keybridge_signals_total on /metrics). */
  countSignal?: (channel: string, status: SignalOutcome["status"]) => void;
}

export const SIGNAL_LOG = {
  enqueueFailed: "enqueue after a signal failed; the dirty-set sweeper will retry",
  auditMoveFailed: "audit outbox move after a signal failed; the periodic mover retries",
} as const;

const AUDIT_OF_OUTCOME: Record<SignalOutcome["status"], AuditType> = {
  applied: auditTypes.signalApplied,
  duplicate: auditTypes.signalDuplicate,
  unmatched: auditTypes.signalUnmatched,
  ignored: auditTypes.signalReceived,
};

/** The correlation id of a signal: its audit records and the reconcile it causes share it. */
export function signalCorrelationId(signal: Pick<IdpSignal, "channel" | "eventId">): string {
  return `signal|${signal.channel}|${signal.eventId}`;
}

/** How the reconcile sees the change (priority: revocation for anything that suspends). */
function changeKindOf(signal: IdpSignal): PersonChangeKind {
  if (signal.kind === "confirmed_active") return "activated";
  if (signal.kind === "membership_removed") return "membership";
  return "deactivated";
}

/** The hold field the signal writes, or null when it is evidence only. */
function fieldOf(deps: SignalDeps, signal: IdpSignal): string | null {
  if (signal.kind === "sessions_revoked")
    return deps.sessionsRevokedSuspends?.(signal.tenant) ? holdFieldOf("suspended") : null;
  return holdFieldOf(signal.kind, signal.groupId);
}

function modeOf(signal: IdpSignal, field: string | null): "hold" | "confirm" | "evidence" {
  if (signal.kind === "confirmed_active") return "confirm";
  return field ? "hold" : "evidence";
}

export async function applySignal(deps: SignalDeps, signal: IdpSignal): Promise<SignalOutcome> {
  const { tenant } = signal;
  const now = deps.clock.now();
  const personId =
    (await findPersonByJoinKey(deps.store, tenant, deps.joinKey(tenant), signal.subject)) ?? "";
  const held: HeldSignal = {
    channel: signal.channel,
    eventId: signal.eventId,
    kind: signal.kind,
    occurredAt: signal.occurredAt,
    occurredAtMs: Date.parse(signal.occurredAt) || now.getTime(),
    receivedAt: now.toISOString(),
    evidence: signal.evidence,
  };
  if (signal.groupId !== undefined) held.groupId = signal.groupId;
  const field = fieldOf(deps, signal);
  const keep = deps.dedupe ?? { keepMs: 7 * 24 * 3600_000, keepMax: 100_000 };
  const plan = {
    eventId: signal.eventId,
    now: now.getTime(),
    receivedAt: held.receivedAt,
    keepMs: keep.keepMs,
    keepMax: keep.keepMax,
    personId,
    kind: changeKindOf(signal),
    field: field ?? "",
    value: JSON.stringify(held),
    occurredAtMs: held.occurredAtMs,
    mode: modeOf(signal, field),
    unmatchedEntry: `${held.receivedAt}|${signal.channel}|${signal.eventId}`,
    audit: auditRecords(signal, personId),
  };
  const keys = [
    redisKeys.signalSeen(tenant, signal.channel),
    redisKeys.signalHold(tenant, personId),
    redisKeys.signalHolds(tenant),
    redisKeys.personGeneration(tenant, personId),
    redisKeys.dirtyPersons(tenant),
    redisKeys.auditOutbox(tenant),
    redisKeys.auditOutboxSeq(tenant),
    redisKeys.user(tenant, personId),
    redisKeys.signalUnmatched(tenant),
    redisKeys.signalChannelState(tenant, signal.channel),
  ];
  const [status] = (await runScript(deps.redis, APPLY_SIGNAL_SCRIPT, keys, [JSON.stringify(plan)])) as [
    SignalOutcome["status"],
  ];
  deps.countSignal?.(signal.channel, status);
  await afterCommit(deps, signal, personId, status);
  return personId && status !== "unmatched" ? { status, personId } : { status };
}

/** One record per possible outcome; the script picks the one that happened. */
function auditRecords(signal: IdpSignal, personId: string): Record<string, AuditEventInput> {
  const data: Record<string, unknown> = {
    channel: signal.channel,
    eventId: signal.eventId,
    kind: signal.kind,
    occurredAt: signal.occurredAt,
    evidence: signal.evidence,
  };
  if (signal.groupId !== undefined) data.groupId = signal.groupId;
  const records: Record<string, AuditEventInput> = {};
  for (const [status, type] of Object.entries(AUDIT_OF_OUTCOME)) {
    const matched = personId !== "" && status !== "unmatched";
    records[status] = {
      type,
      tenant: signal.tenant,
      actor: `idp:${signal.tenant}:${signal.channel}`,
      // An unmatched signal names the IdP's id of the person (data.subject): never a guess at ours.
      subject: matched ? { kind: "person", id: personId } : { kind: "tenant", id: signal.tenant },
      correlationId: signalCorrelationId(signal),
      outcome: status === "applied" ? "success" : "noop",
      data: matched ? data : { ...data, subject: signal.subject },
    };
  }
  return records;
}

/** Never rejects: the record is in the outbox and the person in the dirty set, both durable. */
async function afterCommit(
  deps: SignalDeps,
  signal: IdpSignal,
  personId: string,
  status: SignalOutcome["status"],
): Promise<void> {
  const log = { tenant: signal.tenant, personId, channel: signal.channel };
  const move = deps.auditOutbox
    .move(signal.tenant)
    .catch((err) => deps.logger.warn({ err, ...log }, SIGNAL_LOG.auditMoveFailed));
  const enqueue =
    status === "applied"
      ? enqueueReconcile(
          deps,
          { tenant: signal.tenant, personId, trigger: "signal", correlationId: signalCorrelationId(signal) },
          { kind: changeKindOf(signal) },
        ).catch((err) => deps.logger.warn({ err, ...log }, SIGNAL_LOG.enqueueFailed))
      : undefined;
  await Promise.all([move, enqueue]);
}

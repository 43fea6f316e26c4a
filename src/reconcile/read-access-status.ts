// What `keybridge access status` shows: per key system, each desired and held grant with its ledger
// state, exposureUntil, last error and the rules behind it, plus any needs-attention flag.
import type { Clock } from "../drivers/key-system-driver";
import type { DirectoryReader } from "../store/directory-types";
import type { AttentionFlag, GrantLedger, WorkItem } from "./grant-ledger";
import type { LedgerError } from "./ledger-entry";
import type { AccessEvaluator } from "./reconcile-deps";
import { isUserActive } from "../store/user-active";
import { activeSuspension, type HeldSignal } from "../signals/signal-hold";

export interface GrantStatus {
  profile: string;
  /** The mappings want the person to hold it now (or from a future notBefore). */
  desired: boolean;
  /** What the ledger last recorded; null when the pipeline has not acted on it yet. */
  action: "grant" | "revoke" | null;
  state: string;
  vendorRefs: string[];
  notBefore?: string;
  notAfter?: string;
  exposureUntil?: string;
  lastError?: LedgerError;
  rules: string[];
  updatedAt?: string;
}

export interface SystemStatus {
  system: string;
  /** False when no worker can reach the system (no connection settings): its jobs wait. */
  configured: boolean;
  grants: GrantStatus[];
  attention: AttentionFlag | null;
  workItems: WorkItem[];
  reconciledGeneration?: number;
  reconciledAt?: string;
}

export interface AccessStatus {
  tenant: string;
  personId: string;
  /** null when the person is not (or no longer) in the directory. */
  active: boolean | null;
  generation: number;
  systems: SystemStatus[];
  /** The IdP signal suspending the person (issue #11): which channel, which event, when it arrived. */
  suspendedBySignal?: SignalSummary;
  /** Groups an IdP signal took the person out of before SCIM did. */
  suppressedGroups?: Array<SignalSummary & { groupId: string }>;
}

export interface SignalSummary {
  channel: string;
  eventId: string;
  kind: string;
  occurredAt: string;
  arrivedAt: string;
}

function summary(held: HeldSignal): SignalSummary {
  const { channel, eventId, kind, occurredAt, receivedAt } = held;
  return { channel, eventId, kind, occurredAt, arrivedAt: receivedAt };
}

export interface AccessStatusDeps {
  directory: DirectoryReader;
  access: AccessEvaluator;
  ledger: GrantLedger;
  clock: Clock;
  /** Whether a key system has connection settings; every system counts as configured without it. */
  configured?: (system: string) => boolean;
}

export async function readAccessStatus(
  deps: AccessStatusDeps,
  tenant: string,
  personId: string,
): Promise<AccessStatus> {
  const person = await deps.directory.getPerson(tenant, personId);
  const generation = person?.generation ?? (await deps.directory.getGeneration(tenant, personId));
  const desired = person && isUserActive(person.user) ? deps.access.evaluate(person, deps.clock.now()) : [];
  const workItems = (await deps.ledger.listWorkItems(tenant)).filter((w) => w.personId === personId);
  const systems: SystemStatus[] = [];
  for (const system of deps.access.systems()) {
    const ledger = await deps.ledger.read(tenant, system, personId);
    const byProfile = new Map(ledger.entries.map((e) => [e.profile, e]));
    const wanted = desired.filter((d) => d.system === system);
    const grants: GrantStatus[] = wanted.map((d) => {
      const e = byProfile.get(d.profile);
      const status: GrantStatus = {
        profile: d.profile,
        desired: true,
        action: e?.action ?? null,
        state: e?.state ?? "not_requested",
        vendorRefs: d.vendorRefs,
        rules: d.reasons,
      };
      return withOptional(status, {
        notBefore: d.notBefore,
        notAfter: d.notAfter,
        exposureUntil: e?.exposureUntil,
        lastError: e?.lastError,
        updatedAt: e?.updatedAt,
      });
    });
    for (const e of ledger.entries) {
      if (wanted.some((d) => d.profile === e.profile)) continue;
      const status: GrantStatus = {
        profile: e.profile,
        desired: false,
        action: e.action,
        state: e.state,
        vendorRefs: e.vendorRefs,
        rules: e.reasons,
      };
      grants.push(
        withOptional(status, {
          notBefore: e.notBefore,
          notAfter: e.notAfter,
          exposureUntil: e.exposureUntil,
          lastError: e.lastError,
          updatedAt: e.updatedAt,
        }),
      );
    }
    grants.sort((a, b) => (a.profile < b.profile ? -1 : 1));
    const status: SystemStatus = {
      system,
      configured: deps.configured?.(system) ?? true,
      grants,
      attention: await deps.ledger.attention(tenant, system, personId),
      workItems: workItems.filter((w) => w.system === system),
    };
    if (ledger.holder.generation !== undefined) status.reconciledGeneration = ledger.holder.generation;
    if (ledger.holder.reconciledAt !== undefined) status.reconciledAt = ledger.holder.reconciledAt;
    systems.push(status);
  }
  const result: AccessStatus = {
    tenant,
    personId,
    active: person ? isUserActive(person.user) : null,
    generation,
    systems,
  };
  const suspension = activeSuspension(person?.signalHold, result.active === true);
  if (suspension) result.suspendedBySignal = summary(suspension);
  const groups = Object.entries(person?.signalHold?.groups ?? {});
  if (groups.length > 0) result.suppressedGroups = groups.map(([groupId, h]) => ({ ...summary(h), groupId }));
  return result;
}

function withOptional(status: GrantStatus, extra: Partial<GrantStatus>): GrantStatus {
  for (const [k, v] of Object.entries(extra))
    if (v !== undefined) (status as unknown as Record<string, unknown>)[k] = v;
  return status;
}

/** A plain-text rendering for operators. */
export function formatAccessStatus(s: AccessStatus): string {
  const lines = [
    `person ${s.personId} (tenant ${s.tenant}): ${s.active === null ? "not in the directory" : s.active ? "active" : "inactive"}, generation ${s.generation}`,
  ];
  const sig = s.suspendedBySignal;
  if (sig)
    lines.push(
      `suspended by signal: ${sig.channel}, event ${sig.eventId} (${sig.kind}), arrived at ${sig.arrivedAt}`,
    );
  for (const g of s.suppressedGroups ?? [])
    lines.push(
      `group ${g.groupId} suppressed by signal: ${g.channel}, event ${g.eventId}, arrived at ${g.arrivedAt}`,
    );
  for (const sys of s.systems) {
    const synced = !sys.configured
      ? `not configured: no keySystems.${sys.system} settings; changes wait until it is configured`
      : sys.reconciledGeneration === undefined
        ? "never reconciled"
        : `reconciled generation ${sys.reconciledGeneration} at ${sys.reconciledAt}`;
    lines.push("", `key system ${sys.system} (${synced})`);
    if (sys.attention) {
      const error = sys.attention.error;
      lines.push(
        `  NEEDS ATTENTION: ${sys.attention.kind}${error ? ` ${error.code}` : ""} since ${sys.attention.at}`,
      );
      if (error?.message) lines.push(`    ${error.message}`);
    }
    for (const w of sys.workItems) lines.push(`  work item ${w.id}: ${w.task.kind} (${w.task.reason})`);
    if (sys.grants.length === 0) lines.push("  no desired or held grants");
    for (const g of sys.grants) {
      const window = g.notBefore || g.notAfter ? ` valid ${g.notBefore ?? "…"} → ${g.notAfter ?? "…"}` : "";
      lines.push(
        `  ${g.profile}: ${g.desired ? "desired" : "not desired"}, ${g.action ?? "no action yet"} ${g.state}${window}`,
      );
      if (g.exposureUntil) lines.push(`    exposure until ${g.exposureUntil}`);
      // The message says what went wrong (driver messages carry no personal data: driver contract).
      if (g.lastError)
        lines.push(
          `    last error ${g.lastError.code} (${g.lastError.kind}) at ${g.lastError.at}: ${g.lastError.message}`,
        );
      lines.push(`    rules: ${g.rules.join(", ") || "-"}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

// What `keybridge signals report` shows per tenant (issue #11 item 5): persons suspended by signal whom
// SCIM still calls active, persons with a disabled/deleted signal who still hold keys by the ledger,
// SCIM silence longer than two Entra provisioning cycles, and unmatched signals.
import type { RedisClient } from "../store/create-redis-client";
import type { GrantLedger } from "../reconcile/grant-ledger";
import type { DirectoryReader } from "../store/directory-types";
import { redisKeys } from "../store/redis-keys";
import { isUserActive } from "../store/user-active";
import { readChannelState } from "./channel-state";
import { SIGNAL_CHANNELS } from "./idp-signal";
import { activeSuspension, type HeldSignal } from "./signal-hold";

/** Entra's incremental provisioning cycle is about 40 minutes (idp-signals.md §1.1); two of them. */
export const SCIM_SILENCE_MS = 2 * 40 * 60_000;

export interface ReportedPerson {
  personId: string;
  /** For the operator reading the report; absent once SCIM deleted the person. */
  userName?: string;
  channel: string;
  eventId: string;
  kind: string;
  arrivedAt: string;
}

export interface SignalsReport {
  tenant: string;
  suspendedButScimActive: ReportedPerson[];
  revokedButHoldingKeys: Array<
    ReportedPerson & { holding: Array<{ system: string; profile: string; state: string }> }
  >;
  scimSilence: {
    lastScimChangeAt: string | null;
    silentForMs: number | null;
    thresholdMs: number;
    silent: boolean;
  };
  unmatched: { count: number; recent: Array<{ at: string; channel: string; eventId: string }> };
}

export interface SignalsReportDeps {
  redis: RedisClient;
  directory: DirectoryReader;
  ledger: GrantLedger;
  systems: () => string[];
  now: () => Date;
}

function reported(personId: string, userName: string | undefined, held: HeldSignal): ReportedPerson {
  const r: ReportedPerson = {
    personId,
    channel: held.channel,
    eventId: held.eventId,
    kind: held.kind,
    arrivedAt: held.receivedAt,
  };
  if (userName !== undefined) r.userName = userName;
  return r;
}

export async function buildSignalsReport(deps: SignalsReportDeps, tenant: string): Promise<SignalsReport> {
  const report: SignalsReport = {
    tenant,
    suspendedButScimActive: [],
    revokedButHoldingKeys: [],
    scimSilence: await scimSilence(deps, tenant),
    unmatched: await unmatched(deps, tenant),
  };
  for (const personId of await deps.redis.zrange(redisKeys.signalHolds(tenant), "0", "-1")) {
    const person = await deps.directory.getPerson(tenant, personId);
    const active = person ? isUserActive(person.user) : false;
    const suspension = activeSuspension(person?.signalHold, active);
    if (!suspension) continue;
    const entry = reported(personId, person?.user.userName, suspension);
    if (active) report.suspendedButScimActive.push(entry);
    if (suspension.kind !== "disabled" && suspension.kind !== "deleted") continue;
    const holding = await heldGrants(deps, tenant, personId);
    if (holding.length > 0) report.revokedButHoldingKeys.push({ ...entry, holding });
  }
  return report;
}

/** Grants the ledger says still open a door: a grant, or a revocation not yet effective. */
async function heldGrants(deps: SignalsReportDeps, tenant: string, personId: string) {
  const out: Array<{ system: string; profile: string; state: string }> = [];
  for (const system of deps.systems()) {
    const ledger = await deps.ledger.read(tenant, system, personId);
    for (const e of ledger.entries)
      if (
        (e.action === "grant" && e.state !== "scheduled") ||
        (e.action === "revoke" && e.state !== "effective")
      )
        out.push({ system, profile: e.profile, state: `${e.action} ${e.state}` });
  }
  return out;
}

/** The directory already keeps each resource's lastModified in ms (directoryModified): its maximum. */
async function scimSilence(deps: SignalsReportDeps, tenant: string): Promise<SignalsReport["scimSilence"]> {
  const tops = await Promise.all(
    (["user", "group"] as const).map((r) =>
      deps.redis.zrevrange(redisKeys.directoryModified(tenant, r), 0, 0, "WITHSCORES"),
    ),
  );
  const last = Math.max(...tops.map((t) => Number(t[1] ?? Number.NaN)).filter((n) => !Number.isNaN(n)));
  if (!Number.isFinite(last))
    return { lastScimChangeAt: null, silentForMs: null, thresholdMs: SCIM_SILENCE_MS, silent: true };
  const silentForMs = deps.now().getTime() - last;
  return {
    lastScimChangeAt: new Date(last).toISOString(),
    silentForMs,
    thresholdMs: SCIM_SILENCE_MS,
    silent: silentForMs > SCIM_SILENCE_MS,
  };
}

async function unmatched(deps: SignalsReportDeps, tenant: string): Promise<SignalsReport["unmatched"]> {
  const states = await Promise.all(SIGNAL_CHANNELS.map((c) => readChannelState(deps.redis, tenant, c)));
  const count = states.reduce((n, s) => n + (s.counts.unmatched ?? 0), 0);
  const recent = (await deps.redis.lrange(redisKeys.signalUnmatched(tenant), 0, 19)).map((line) => {
    const [at = "", channel = "", ...rest] = line.split("|");
    return { at, channel, eventId: rest.join("|") };
  });
  return { count, recent };
}

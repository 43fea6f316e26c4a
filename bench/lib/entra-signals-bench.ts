// The Entra part of `npm run bench:signals`: keybridge started through src/runtime (`keybridge start`)
// with signals.entra on the Graph fake at the default poll interval; leavers are disabled in the fake at
// random moments over a few poll intervals, and each one's time to revocation requested (a revoke entry
// in the ledger) and to effective (the memory key system confirms) is recorded. Also the SCIM-only path:
// PATCH active=false as Entra's provisioning service would send it, measured from the request.
import type { LedgerEntry } from "../../src/reconcile/ledger-entry";
import {
  type EntraHarness,
  programmedRefs,
  provisionStaff,
  startEntraHarness,
  TENANT,
  waitFor,
} from "../../test/signals/entra/entra-harness";

export interface LeaverSample {
  requestedMs: number;
  effectiveMs: number;
}

export interface ChannelFigures {
  channel: string;
  /** Polling channels only; a push channel (hook) has none. */
  pollIntervalSeconds?: number;
  samples: LeaverSample[];
  /** The SCIM deactivation of the same kind of leaver, measured the same way (if the channel measures it). */
  scimOnly?: LeaverSample[];
  /** Further per-leaver figures in ms, printed as p50/p99 rows. */
  extra?: Record<string, number[]>;
}

export interface EntraBenchOptions {
  leavers: number;
  pollIntervalSeconds: number;
  /** Disables are spread over this many seconds (default two poll intervals: every poll phase sampled). */
  spreadSeconds: number;
}

const entraId = (prefix: string, i: number) =>
  `bench000-0000-4000-8000-${prefix}${String(i).padStart(10, "0")}`;

async function revokeEntry(h: EntraHarness, personId: string): Promise<LedgerEntry | undefined> {
  const ledger = await h.kb.core.ledger.read(TENANT, "lockhall", personId);
  return ledger.entries.find((e) => e.profile === "office" && e.action === "revoke");
}

/** Watches every person until their revocation is effective; times from each one's start instant. */
async function watch(h: EntraHarness, started: Map<string, number>): Promise<LeaverSample[]> {
  const samples = new Map<string, Partial<LeaverSample>>();
  await waitFor(
    async () => {
      for (const [personId, t0] of started) {
        const s = samples.get(personId) ?? {};
        if (s.effectiveMs !== undefined || Date.now() < t0) continue;
        const entry = await revokeEntry(h, personId);
        if (entry && s.requestedMs === undefined) s.requestedMs = Date.now() - t0;
        if (entry?.state === "effective" && (await programmedRefs(h, personId)).length === 0)
          s.effectiveMs = Date.now() - t0;
        samples.set(personId, s);
      }
      return [...samples.values()].filter((s) => s.effectiveMs !== undefined).length === started.size;
    },
    "every revocation effective",
    30 * 60_000,
  );
  return [...samples.values()] as LeaverSample[];
}

async function provision(h: EntraHarness, prefix: string, n: number): Promise<Map<string, string>> {
  const persons = new Map<string, string>();
  for (let i = 0; i < n; i++) persons.set(entraId(prefix, i), await provisionStaff(h, entraId(prefix, i)));
  const ids = [...persons.values()];
  await waitFor(
    async () =>
      (await Promise.all(ids.map((p) => programmedRefs(h, p)))).every((r) => r.includes("profile-1")),
    "every leaver granted",
    120_000,
  );
  return persons;
}

export async function benchEntra(o: EntraBenchOptions, log: (s: string) => void): Promise<ChannelFigures> {
  const h = await startEntraHarness({ pollIntervalSeconds: o.pollIntervalSeconds });
  try {
    const leavers = await provision(h, "aa", o.leavers);
    log(`entra: ${o.leavers} leavers granted; disabling them over ${o.spreadSeconds} s`);
    const started = new Map<string, number>();
    for (const [ext, personId] of leavers) {
      const at = Date.now() + Math.random() * o.spreadSeconds * 1000;
      started.set(personId, at);
      setTimeout(() => h.fake.directory.disable(ext), at - Date.now());
    }
    const samples = await watch(h, started);
    log("entra: SCIM-only path (PATCH active=false, as Entra provisioning sends it)");
    const scimPersons = await provision(h, "bb", o.leavers);
    const scimStarted = new Map<string, number>();
    for (const personId of scimPersons.values()) {
      scimStarted.set(personId, Date.now());
      await h.scim("PATCH", `/Users/${personId}`, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "Replace", path: "active", value: "False" }],
      });
    }
    const scimOnly = await watch(h, scimStarted);
    return { channel: "entra", pollIntervalSeconds: o.pollIntervalSeconds, samples, scimOnly };
  } finally {
    await h.close();
  }
}

// The simulated vendor behind the memory driver: its request surface (journal, faults, sessions,
// latency) and its control plane (physical steps, fault injection), over a MemoryStateStore.
import type { Clock, WebhookRequest } from "../../src/drivers/key-system-driver";
import { JOURNAL_CAP, type MemoryStateStore, type SimJournalEntry, type SimState } from "./memory-state";
import { VendorFault } from "./memory-vendor-fault";
import { type MemoryWebhookBody, SIGNATURE_HEADER, signWebhook } from "./memory-webhook";
import {
  addForeignGrant,
  appendSimEvent,
  findHolders,
  holderCredentials,
  programNow,
  settle,
  type SimTiming,
} from "./memory-vendor-ops";

export interface MemoryKeySystemTiming {
  programmingDelayMs: number;
  propagationDelayMs: number;
  /** Simulated network round trip added to every request (real time). */
  latencyMs: number;
}

/** A fault injected through the control plane (the shapes of the contract suite's Fault). */
export type MemoryInjectedFault =
  | { kind: "latency"; ms: number }
  | { kind: "status"; status: number; times: number }
  | { kind: "reset"; times: number }
  | { kind: "rate_limit"; retryAfterSeconds: number; times: number }
  | { kind: "session_expiry" }
  | { kind: "timeout_after_commit"; pathContains: string; delayMs: number }
  | { kind: "bad_credentials" };

const ERR_NO_WEBHOOKS = "memory key system: no webhook secret configured";

const sleep = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

function journalPush(s: SimState, entry: SimJournalEntry): void {
  s.journal.push(entry);
  // Trimmed a tenth at a time: dropping one entry per request moved all 5,000 on every vendor call.
  if (s.journal.length > JOURNAL_CAP + JOURNAL_CAP / 10) s.journal.splice(0, s.journal.length - JOURNAL_CAP);
}

/** Consumes the first request fault due; returns the fault to answer with, if any. */
function takeFault(s: SimState): VendorFault | undefined {
  const f = s.faults;
  if (f.reset && f.reset.times > 0) {
    if (--f.reset.times === 0) delete f.reset;
    return new VendorFault("reset", 0);
  }
  if (f.status && f.status.times > 0) {
    const status = f.status.status;
    if (--f.status.times === 0) delete f.status;
    return new VendorFault("status", status);
  }
  if (f.rateLimit && f.rateLimit.times > 0) {
    const after = f.rateLimit.retryAfterSeconds;
    if (--f.rateLimit.times === 0) delete f.rateLimit;
    return new VendorFault("rate_limit", 429, after);
  }
  return undefined;
}

export class MemoryKeySystem {
  private lastDelivery: WebhookRequest | undefined;

  constructor(
    readonly store: MemoryStateStore,
    private readonly clock: Clock,
    private readonly timing: MemoryKeySystemTiming,
    /** Signs webhook deliveries; undefined = this simulated vendor sends none. */
    private readonly webhookSecret?: string,
  ) {}

  private simTiming(): SimTiming {
    return { now: this.clock.now(), ...this.timing };
  }

  /** Logs in; a rejected password counts as an attempt and is answered 401 (never retried by the driver). */
  async login(): Promise<string> {
    const out = await this.store.transact((s) => {
      s.loginAttempts++;
      const entry: SimJournalEntry = { method: "POST", path: "/memory/login", mutating: false, login: true };
      journalPush(s, entry);
      entry.status = s.faults.badCredentials ? 401 : 200;
      if (s.faults.badCredentials) return { latency: s.faults.latencyMs, sessionId: undefined };
      const sessionId = `s-${s.nextId++}`;
      s.sessions.push(sessionId);
      return { latency: s.faults.latencyMs, sessionId };
    });
    await sleep(this.timing.latencyMs + out.latency);
    if (out.sessionId === undefined) throw new VendorFault("auth", 401);
    return out.sessionId;
  }

  /** A bare unauthenticated read (like iLOQ `GET Version`): one round trip, for health and the benchmark. */
  async ping(): Promise<void> {
    const latency = await this.store.transact((s) => {
      journalPush(s, { method: "GET", path: "/memory/ping", mutating: false, status: 200 });
      return s.faults.latencyMs;
    });
    await sleep(this.timing.latencyMs + latency);
  }

  /** One vendor request: journaled, subject to injected faults and the session, then `op` in one transaction. */
  async request<T>(
    name: string,
    mutating: boolean,
    sessionId: string,
    op: (s: SimState, t: SimTiming) => T,
  ): Promise<T> {
    const path = `/memory/${name}`;
    const t = this.simTiming();
    const out = await this.store.transact((s) => {
      settle(s, t.now);
      const entry: SimJournalEntry = { method: mutating ? "POST" : "GET", path, mutating };
      journalPush(s, entry);
      const latency = s.faults.latencyMs;
      const fault =
        takeFault(s) ?? (s.sessions.includes(sessionId) ? undefined : new VendorFault("session", 401));
      if (fault) {
        if (fault.status > 0) entry.status = fault.status;
        return { fault, latency, hold: 0 };
      }
      let hold = 0;
      const tac = s.faults.timeoutAfterCommit;
      if (tac && path.toLowerCase().includes(tac.pathContains.toLowerCase())) {
        hold = tac.delayMs;
        delete s.faults.timeoutAfterCommit;
      }
      try {
        const result = op(s, t);
        entry.status = 200;
        return { result, latency, hold };
      } catch (err) {
        if (!(err instanceof VendorFault)) throw err;
        entry.status = err.status;
        return { fault: err, latency, hold };
      }
    });
    await sleep(this.timing.latencyMs + out.latency + out.hold);
    if (out.fault) throw out.fault;
    // A copy: the in-process store hands out live objects, and a caller must never change the vendor.
    return structuredClone(out.result) as T;
  }

  // --- control plane (tests, demo); never called by the driver -------------------------------

  async injectFault(fault: MemoryInjectedFault): Promise<void> {
    await this.store.transact((s) => {
      const f = s.faults;
      if (fault.kind === "latency") f.latencyMs = fault.ms;
      else if (fault.kind === "status") f.status = { status: fault.status, times: fault.times };
      else if (fault.kind === "reset") f.reset = { times: fault.times };
      else if (fault.kind === "rate_limit") f.rateLimit = { ...fault };
      else if (fault.kind === "session_expiry") s.sessions = [];
      else if (fault.kind === "timeout_after_commit") f.timeoutAfterCommit = { ...fault };
      else f.badCredentials = true;
    });
  }

  async clearFaults(): Promise<void> {
    await this.store.transact((s) => {
      s.faults = { latencyMs: 0, badCredentials: false };
    });
  }

  async journal(): Promise<SimJournalEntry[]> {
    return this.store.read((s) => s.journal);
  }

  async clearJournal(): Promise<void> {
    await this.store.transact((s) => {
      s.journal = [];
    });
  }

  /** Mutating vendor requests seen so far (for pipeline tests counting vendor writes). */
  async writeCount(): Promise<number> {
    return this.store.read((s) => s.journal.filter((e) => e.mutating).length);
  }

  async loginAttempts(): Promise<number> {
    return this.store.read((s) => s.loginAttempts);
  }

  /** The physical step: the credential (or every credential) fetched and applied its pending change. */
  async completeProgramming(credentialId?: string): Promise<void> {
    await this.store.transact((s) => {
      for (const c of Object.values(s.credentials)) {
        if (credentialId !== undefined && c.credentialId !== credentialId) continue;
        if (c.programmingDueAt !== undefined) programNow(c);
      }
    });
  }

  /** Every lock has learnt the blocklist. */
  async propagateBlocklist(): Promise<void> {
    await this.store.transact((s) => {
      for (const c of Object.values(s.credentials)) delete c.propagationDueAt;
    });
  }

  async holderCount(externalId: string): Promise<number> {
    return this.store.read((s) => findHolders(s, externalId).length);
  }

  async credentialCount(externalId: string): Promise<number> {
    return this.store.read((s) =>
      findHolders(s, externalId).reduce((n, h) => n + holderCredentials(s, h.holderId).length, 0),
    );
  }

  async seedForeignGrant(externalId: string, vendorRef: string): Promise<void> {
    await this.store.transact((s) => {
      const holder = findHolders(s, externalId)[0];
      const cred = holder ? holderCredentials(s, holder.holderId)[0] : undefined;
      if (!cred) throw new Error("seedForeignGrant: holder has no credential");
      addForeignGrant(s, cred.credentialId, vendorRef);
    });
  }

  async appendEvent(e: { occurredAt: string; credentialId?: string; granted?: boolean }): Promise<void> {
    const receivedAt = this.clock.now().toISOString();
    await this.store.transact((s) => {
      const holderId = e.credentialId ? s.credentials[e.credentialId]?.holderId : undefined;
      const kind = e.granted === false ? "access_denied" : "access_granted";
      appendSimEvent(s, {
        occurredAt: e.occurredAt,
        receivedAt,
        kind,
        credentialId: e.credentialId,
        holderId,
      });
    });
  }

  /** A webhook delivery for a fresh event, the previous delivery again (`replay`), or a forged one (`tamper`). */
  async signedWebhook(options: { tamper?: boolean; replay?: boolean } = {}): Promise<WebhookRequest> {
    if (this.webhookSecret === undefined) throw new Error(ERR_NO_WEBHOOKS);
    if (options.replay && this.lastDelivery) return this.lastDelivery;
    const now = this.clock.now().toISOString();
    const event = await this.store.transact((s) =>
      appendSimEvent(s, { occurredAt: now, receivedAt: now, kind: "other" }),
    );
    const { seq: _seq, ...driverEvent } = event;
    const body: MemoryWebhookBody = { deliveryId: `d-${event.seq}`, createdAt: now, events: [driverEvent] };
    const rawBody = Buffer.from(JSON.stringify(body));
    const headers = { [SIGNATURE_HEADER]: signWebhook(this.webhookSecret, rawBody) };
    this.lastDelivery = { headers, rawBody };
    if (!options.tamper) return this.lastDelivery;
    // Changed after signing, as an attacker on the path would.
    return {
      headers,
      rawBody: Buffer.from(JSON.stringify({ ...body, events: [{ ...driverEvent, kind: "access_granted" }] })),
    };
  }

  async close(): Promise<void> {
    await this.store.close();
  }
}

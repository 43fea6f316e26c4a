// The simulated key system's data and the tiny storage interface behind it (in-process or Redis-backed),
// so a worker in another process sees the same simulated vendor.
import type { CredentialKind, CredentialStatus, GrantSpec } from "../../src/drivers/key-system-driver";

export interface SimHolder {
  holderId: string;
  externalId: string;
  displayName: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
  employmentEnd?: string;
  scope?: string;
}

/** A grant as the simulated vendor stores it; `bridge` marks grants written by the bridge's client. */
export interface SimGrant extends GrantSpec {
  bridge: boolean;
}

export interface SimCredential {
  credentialId: string;
  holderId: string;
  kind: CredentialKind;
  serial?: string;
  status: CredentialStatus;
  planned: SimGrant[];
  /** What the physical credential holds (last programmed). */
  programmed: SimGrant[];
  /** When the pending programming completes on its own (ISO); absent when nothing is pending. */
  programmingDueAt?: string;
  /** Lost/stolen/broken: when every lock has learnt the blocklist (ISO); absent once propagated. */
  propagationDueAt?: string;
}

export interface SimEvent {
  seq: number;
  id: string;
  occurredAt: string;
  receivedAt: string;
  kind: "access_granted" | "access_denied" | "credential_programmed" | "credential_blocked" | "other";
  credentialId?: string;
  holderId?: string;
}

export interface SimJournalEntry {
  method: string;
  path: string;
  mutating: boolean;
  login?: boolean;
  status?: number;
}

/** Faults waiting in the simulated vendor (injected by tests through the control plane). */
export interface SimFaults {
  latencyMs: number;
  status?: { status: number; times: number };
  reset?: { times: number };
  rateLimit?: { retryAfterSeconds: number; times: number };
  timeoutAfterCommit?: { pathContains: string; delayMs: number };
  badCredentials: boolean;
}

export interface SimState {
  nextId: number;
  nextSeq: number;
  holders: Record<string, SimHolder>;
  credentials: Record<string, SimCredential>;
  events: SimEvent[];
  journal: SimJournalEntry[];
  /** Valid session ids (the simulated login). */
  sessions: string[];
  loginAttempts: number;
  faults: SimFaults;
}

/** Journal entries kept (at most a tenth more between trims), so a long demo run does not grow the state without bound. */
export const JOURNAL_CAP = 5000;

export function emptySimState(): SimState {
  return {
    nextId: 1,
    nextSeq: 1,
    holders: {},
    credentials: {},
    events: [],
    journal: [],
    sessions: [],
    loginAttempts: 0,
    faults: { latencyMs: 0, badCredentials: false },
  };
}

/** Storage of the whole simulated key system; `transact` runs `fn` atomically (also across processes). */
export interface MemoryStateStore {
  transact<T>(fn: (state: SimState) => T): Promise<T>;
  read<T>(fn: (state: SimState) => T): Promise<T>;
  close(): Promise<void>;
}

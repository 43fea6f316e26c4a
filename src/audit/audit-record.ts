// One stored audit record and the chain rule: hash = sha256(canonical JSON of the record without
// `hash`), and each record's prevHash is the hash of the record before it (GENESIS_HASH for seq 1).
import { createHash } from "node:crypto";
import type { AuditOutcome } from "./audit-event";
import { canonicalJson, type JsonValue } from "./canonical-json";

/** Version of the record layout, hashed with the record so a later layout cannot pass for this one. */
export const AUDIT_RECORD_VERSION = 1;
export const GENESIS_HASH = "0".repeat(64);

export interface AuditRecord {
  v: number;
  seq: number;
  /** ISO 8601 UTC; never earlier than the previous record's time. */
  time: string;
  type: string;
  tenant?: string;
  actor: string;
  subject: { kind: string; id: string };
  reason?: string;
  correlationId?: string;
  outcome: AuditOutcome;
  data?: { [key: string]: JsonValue };
  prevHash: string;
  hash: string;
}

export type UnhashedRecord = Omit<AuditRecord, "hash">;

export function hashRecord(record: UnhashedRecord | AuditRecord): string {
  const { hash: _ignored, ...rest } = record as AuditRecord;
  return createHash("sha256")
    .update(canonicalJson(rest as unknown as JsonValue), "utf8")
    .digest("hex");
}

export function sealRecord(record: UnhashedRecord): AuditRecord {
  return { ...record, hash: hashRecord(record) };
}

/** The stored text of a record: canonical JSON including the hash (what export writes, one per line). */
export function serializeRecord(record: AuditRecord): string {
  return canonicalJson(record as unknown as JsonValue);
}

/** Parses a stored record; undefined when the text is not a record at all (so verify can say where). */
export function parseRecord(text: string): AuditRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return undefined;
  const r = value as Partial<AuditRecord>;
  const ok =
    Number.isSafeInteger(r.seq) &&
    typeof r.time === "string" &&
    typeof r.hash === "string" &&
    typeof r.prevHash === "string";
  return ok ? (r as AuditRecord) : undefined;
}

// Checks the audit records a report rests on (pure): each record's own hash, and the links between
// records with consecutive seqs. The same on a live read and on an export, so both reports agree;
// the whole-chain verify (verify-audit.ts) needs Redis and is added to a live report beside it.
import { type AuditRecord, hashRecord } from "../audit/audit-record";

export interface WindowChainCheck {
  records: number;
  /** Entries in the window that are not records at all (tampering; `keybridge audit verify` says where). */
  unreadable: number;
  /** Seqs whose hash does not match their content (edited after sealing). */
  badHashes: number[];
  /** Seqs whose prevHash does not match the record before them (only where that record is present). */
  brokenLinks: number[];
  firstSeq?: number;
  /** The prevHash of the first record: ties the window to the chain before it. */
  firstPrevHash?: string;
  lastSeq?: number;
  /** The hash of the last record: an anchor for `keybridge audit verify --anchor <seq>:<hash>`. */
  lastHash?: string;
}

export function checkWindowChain(records: AuditRecord[], unreadable = 0): WindowChainCheck {
  const out: WindowChainCheck = { records: records.length, unreadable, badHashes: [], brokenLinks: [] };
  let previous: AuditRecord | undefined;
  for (const record of records) {
    if (hashRecord(record) !== record.hash) out.badHashes.push(record.seq);
    if (previous && previous.seq + 1 === record.seq && record.prevHash !== previous.hash)
      out.brokenLinks.push(record.seq);
    previous = record;
  }
  const first = records[0];
  const last = records.at(-1);
  if (first && last) {
    Object.assign(out, {
      firstSeq: first.seq,
      firstPrevHash: first.prevHash,
      lastSeq: last.seq,
      lastHash: last.hash,
    });
  }
  return out;
}

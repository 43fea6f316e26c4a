// Reads an audit export (JSON Lines, as `keybridge audit export` writes it) back into records, line
// by line, so `report evidence --from-export` needs neither Redis nor keybridge's state.
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { type AuditRecord, parseRecord } from "../audit/audit-record";

export async function readExportRecords(
  path: string,
): Promise<{ records: AuditRecord[]; unreadable: number }> {
  const records: AuditRecord[] = [];
  let unreadable = 0;
  const lines = createInterface({
    input: createReadStream(path, "utf8"),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of lines) {
    if (line.trim() === "") continue;
    const record = parseRecord(line);
    if (record) records.push(record);
    else unreadable++;
  }
  return { records, unreadable };
}

// A stable hash of what the key system knows about a holder, so an unchanged person costs no write.
import { createHash } from "node:crypto";
import type { HolderSpec } from "../drivers/key-system-driver";

export function holderSpecHash(spec: HolderSpec): string {
  const fields = Object.entries(spec)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return createHash("sha256").update(JSON.stringify(fields)).digest("hex").slice(0, 32);
}
